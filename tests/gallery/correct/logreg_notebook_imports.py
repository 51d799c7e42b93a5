# Exported from Logistic_Regression_with_a_Neural_Network_mindset.ipynb, imports and test cells kept

import numpy as np
import copy
import matplotlib.pyplot as plt
import h5py
import scipy
from PIL import Image
from scipy import ndimage
from lr_utils import load_dataset
from public_tests import *

get_ipython().run_line_magic('matplotlib', 'inline')

train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes = load_dataset()


def sigmoid(z):
    return np.exp(-np.logaddexp(0, -z))


def initialize_with_zeros(dim):
    return np.zeros([dim, 1]), 0.


def propagate(w, b, X, Y):
    m = X.shape[1]
    Z = np.matmul(w.T, X) + b
    A = sigmoid(Z)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dZ = A - Y
    grads = {"dw": np.matmul(X, dZ.T) / m, "db": np.mean(dZ)}
    return grads, float(cost)


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    w, b = w.copy(), float(b)
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w -= learning_rate * grads["dw"]
        b -= learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def predict(w, b, X):
    A = sigmoid(np.matmul(w.reshape(-1, 1).T, X) + b)
    return np.where(A > 0.5, 1.0, 0.0)


optimize_test(optimize)
predict_test(predict)


def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    return {"costs": costs,
            "Y_prediction_test": predict(w, b, X_test),
            "Y_prediction_train": predict(w, b, X_train),
            "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}


logistic_regression_model = model(train_set_x_orig.reshape(train_set_x_orig.shape[0], -1).T / 255., train_set_y,
                                  test_set_x_orig.reshape(test_set_x_orig.shape[0], -1).T / 255., test_set_y,
                                  num_iterations=2000, learning_rate=0.005, print_cost=True)
