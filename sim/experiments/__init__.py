"""Many runs at once: parameter sweeps, sensitivity analysis and the 2016 scorecard."""
