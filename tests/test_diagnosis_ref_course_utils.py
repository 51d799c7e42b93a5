"""The course's helper modules, as a student's file imports them in the sandbox."""

import sys

import numpy as np

from shapecheck.diagnosis import course_utils
from shapecheck.diagnosis.course_utils import course_modules, install_course_modules


def test_dnn_utils_helpers_have_the_course_signatures():
    with course_modules():
        from dnn_utils import relu, relu_backward, sigmoid, sigmoid_backward

        Z = np.array([[-2.0, 0.0, 3.0]])
        A, cache = relu(Z)
        assert np.array_equal(A, [[0.0, 0.0, 3.0]]) and cache is Z
        A, cache = sigmoid(Z)
        assert np.allclose(A, 1 / (1 + np.exp(-Z))) and cache is Z
        dA = np.array([[5.0, 5.0, 5.0]])
        assert np.array_equal(relu_backward(dA, Z), [[0.0, 0.0, 5.0]])  # the course's dZ[Z <= 0] = 0
        assert np.allclose(sigmoid_backward(dA, Z), dA * A * (1 - A))
        assert np.array_equal(dA, [[5.0, 5.0, 5.0]])  # the caller's dA is left as it was


def test_every_dnn_helper_module_name_of_the_course_imports():
    with course_modules():
        for name in ("dnn_utils", "dnn_utils_v2", "dnn_app_utils_v3"):
            module = __import__(name)
            assert module.relu_backward is course_utils.course_helper("dnn", "relu_backward")
        assert not hasattr(sys.modules["dnn_app_utils_v3"], "L_model_forward")  # the helpers, never an answer


def test_rnn_utils_softmax_normalises_each_column_and_sigmoid_returns_the_array_only():
    with course_modules():
        from rnn_utils import sigmoid, softmax

        z = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]])
        assert np.allclose(softmax(z).sum(axis=0), 1.0)
        assert np.allclose(sigmoid(np.array([0.0])), [0.5])


def test_test_modules_accept_any_name_and_do_nothing():
    with course_modules():
        from public_tests import L_model_backward_test  # noqa: F401 - any name imports
        exec("from testCases_v4a import *", {})  # a star import, as notebooks write it
        import lr_utils

        assert lr_utils.load_dataset() is None
        assert L_model_backward_test(object()) is None


def test_stand_ins_are_not_mistaken_for_packages():
    with course_modules():
        import testCases

        assert not hasattr(testCases, "__path__")


def test_course_modules_puts_back_what_was_there():
    sentinel = object()
    sys.modules["rnn_utils"] = sentinel
    try:
        with course_modules():
            assert sys.modules["rnn_utils"] is not sentinel
        assert sys.modules["rnn_utils"] is sentinel
    finally:
        del sys.modules["rnn_utils"]
    with course_modules():
        pass
    assert "dnn_utils" not in sys.modules


def test_install_course_modules_registers_all_of_them():
    saved = {name: sys.modules.get(name) for name in course_utils.HELPER_MODULES + course_utils.TEST_MODULES}
    try:
        names = install_course_modules()
        assert set(names) == set(saved)
        assert all(name in sys.modules for name in names)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def test_course_helper_gives_each_assignment_its_own_sigmoid():
    z = np.array([[0.0]])
    A, cache = course_utils.course_helper("dnn", "sigmoid")(z)
    assert np.allclose(A, 0.5) and cache is z
    assert np.allclose(course_utils.course_helper("rnn", "sigmoid")(z), 0.5)
    assert course_utils.course_helper("rnn", "softmax")(np.zeros((2, 1))).sum() == 1.0
