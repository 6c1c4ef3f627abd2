"""Convex models trained by weighted incremental-gradient methods.

The estimator :class:`IGLogisticRegression` trains binary or multinomial
logistic regression with SGD, momentum, Adagrad, Adam, SAGA or SVRG on weighted
data (a CRAIG coreset), with the inner epoch loops in numba. The optimizers are
also available as ``init``/``update`` pairs over an explicit state.
"""

from craig.linear._estimator import IGLogisticRegression
from craig.linear._models import LogisticModel, encode_labels
from craig.linear._optimizers import (
    OPTIMIZERS,
    Optimizer,
    Problem,
    SAGAState,
    SGDState,
    SVRGState,
    adagrad,
    adam,
    make_problem,
    momentum,
    saga,
    sgd,
    step_sizes,
    svrg,
)
from craig.linear._optimum import (
    Optimum,
    gradient_error,
    gradient_error_bound,
    reference_optimum,
)

__all__ = [
    "IGLogisticRegression",
    "LogisticModel",
    "OPTIMIZERS",
    "Optimizer",
    "Optimum",
    "Problem",
    "SAGAState",
    "SGDState",
    "SVRGState",
    "adagrad",
    "adam",
    "encode_labels",
    "gradient_error",
    "gradient_error_bound",
    "make_problem",
    "momentum",
    "reference_optimum",
    "saga",
    "sgd",
    "step_sizes",
    "svrg",
]
