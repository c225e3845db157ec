"""What a finished run yields: tables, run directories, chronicle, report."""
