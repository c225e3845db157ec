"""Many runs at once: sweeps, sensitivity, discovery, calibration, the scorecard.

Sub-packages: ``sweep`` (seeded runs over a design), ``uncertainty`` (the
priors of a scenario's assumptions), ``sensitivity`` (Morris and Sobol',
one metric or every headline outcome), ``discovery`` (PRIM boxes),
``calibration`` (history matching, ``run.py calibrate``) and ``scorecard``
(the 2016 facts).
"""
