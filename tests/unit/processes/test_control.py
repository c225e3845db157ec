import numpy as np

from sim.processes import control
from sim.vocabulary import SigarClass


def test_sigar_labels_and_codes_come_from_the_vocabulary():
    assert control.SIGAR_CLASSES[SigarClass.CONTESTED] == "contested"
    assert len(control.SIGAR_CLASSES) == len(SigarClass)
    codes = control.sigar_class(np.array([0.0, 0.5, 1.0]), (0.2, 0.4, 0.6, 0.8))
    assert list(codes) == [
        SigarClass.INSURGENT_CONTROL,
        SigarClass.CONTESTED,
        SigarClass.GOVERNMENT_CONTROL,
    ]


def test_controller_needs_the_control_share():
    armed = np.array([[60.0, 50.0, 0.0], [40.0, 50.0, 0.0]])
    assert list(control.controller(armed, 0.6)) == [0, control.CONTESTED, -1]
