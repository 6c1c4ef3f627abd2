"""``IGLogisticRegression``: logistic regression trained by a weighted IG method."""

from __future__ import annotations

import logging
import time
import warnings

import numpy as np
from scipy.special import softmax
from threadpoolctl import threadpool_limits

from craig._errors import DivergenceWarning
from craig.linear import _checks
from craig.linear._optimizers import OPTIMIZERS, make_problem, step_sizes
from craig.linear._optimum import resolve_model

logger = logging.getLogger(__name__)

SCHEDULES = ("constant", "inverse", "exponential")
ORDERS = ("shuffle", "greedy")
HISTORY_KEYS = (
    "epoch",
    "time",
    "gradient_evaluations",
    "step_size",
    "train_loss",
    "test_loss",
    "test_error",
)


class IGLogisticRegression:
    """Logistic regression trained by a weighted incremental-gradient method.

    Sample j of weight :math:`\\gamma_j` (``sample_weight``) moves the
    parameters by :math:`-\\alpha_k \\gamma_j \\nabla f_j(w)` at epoch k; a
    mini-batch by the mean of its weighted gradients. With CRAIG weights (cluster
    sizes, summing to n) an epoch over the coreset approximates an epoch over
    the full data, at |S|/n of the gradient evaluations.

    Parameters
    ----------
    optimizer : {"sgd", "momentum", "adagrad", "adam", "saga", "svrg"}, default="sgd"
    learning_rate : float, default=0.01
        The base step size :math:`\\alpha_0` > 0.
    schedule : {"constant", "inverse", "exponential"}, default="constant"
        :math:`\\alpha_k = \\alpha_0`, :math:`\\alpha_0 / (k+1)^\\tau` or
        :math:`\\alpha_0 b^k` for epoch k = 0, 1, ...
    tau : float, default=1.0
        The exponent :math:`\\tau` in (0, 1] of the inverse schedule.
    decay : float, default=0.9
        The factor b in (0, 1] of the exponential schedule.
    epochs : int, default=10
    batch_size : int, default=1
    l2 : float, default=0.0
        The L2 penalty :math:`\\lambda` >= 0 (intercepts are not penalised).
    order : {"shuffle", "greedy"}, default="shuffle"
        Visit the samples in a fresh random order each epoch, or in the order of
        the rows (a coreset's greedy order when X holds its rows in that order).
    multi_class : {"auto", "binary", "multinomial"}, default="auto"
        "auto" is binary for two labels. Binary maps the two sorted labels to
        -1/+1 and rejects other label counts.
    fit_intercept : bool, default=True
    random_state : int, numpy Generator or None, default=None
        Seeds the shuffling.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1 or n_classes, n_features)
    intercept_ : ndarray of shape (1 or n_classes,)
    params_ : ndarray of shape (1 or n_classes, n_features + 1)
        ``coef_`` with ``intercept_`` as the last column.
    history_ : dict of lists
        One entry per epoch, epoch 0 being the start: ``epoch``, ``time``
        (cumulative training seconds, evaluation excluded),
        ``gradient_evaluations`` (cumulative), ``step_size``, ``train_loss``
        (the objective on ``eval_train``, default the weighted training set),
        ``test_loss`` and ``test_error`` (NaN without ``eval_test``).
    n_epochs_ : int
        Epochs run (fewer than ``epochs`` after a divergence).
    diverged_epoch_ : int or None
        The epoch at which the loss or the parameters stopped being finite;
        the parameters are then those of the last finite epoch.
    """

    def __init__(
        self,
        *,
        optimizer="sgd",
        learning_rate=0.01,
        schedule="constant",
        tau=1.0,
        decay=0.9,
        epochs=10,
        batch_size=1,
        l2=0.0,
        order="shuffle",
        multi_class="auto",
        fit_intercept=True,
        random_state=None,
    ):
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.schedule = schedule
        self.tau = tau
        self.decay = decay
        self.epochs = epochs
        self.batch_size = batch_size
        self.l2 = l2
        self.order = order
        self.multi_class = multi_class
        self.fit_intercept = fit_intercept
        self.random_state = random_state

    def get_params(self, deep=True) -> dict:
        """The constructor arguments, as scikit-learn's ``get_params``."""
        names = self.__init__.__kwdefaults__
        return {name: getattr(self, name) for name in names}

    def set_params(self, **params) -> IGLogisticRegression:
        """Set constructor arguments, as scikit-learn's ``set_params``."""
        for name, value in params.items():
            if name not in self.__init__.__kwdefaults__:
                raise ValueError(f"invalid parameter {name!r} for {self!r}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = self.__init__.__kwdefaults__
        changed = {k: v for k, v in self.get_params().items() if v is not defaults[k]}
        args = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        return f"IGLogisticRegression({args})"

    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        eval_train=None,
        eval_test=None,
        callback=None,
    ):
        """Train on ``(X, y)`` with weights ``sample_weight`` (gamma).

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Weights gamma >= 0 (all ones by default), e.g. ``Coreset.weights``.
        eval_train : tuple (X_full, y_full), default=None
            Where ``history_["train_loss"]`` is measured (unweighted), e.g. the
            full training set when X is a coreset.
        eval_test : tuple (X_test, y_test), default=None
            Where the test loss and error are measured.
        callback : callable(epoch, params), default=None
            Called after every epoch with a copy-free view of the parameters.

        Returns
        -------
        self
        """
        settings = self._check_settings()
        X = _checks.check_X(X)
        y = _checks.check_y(y, X.shape[0])
        gamma = _checks.check_sample_weight(sample_weight, X.shape[0])
        model, self.classes_, codes = resolve_model(
            y,
            l2=settings["l2"],
            fit_intercept=self.fit_intercept,
            multi_class=self.multi_class,
        )
        problem = make_problem(X, codes, gamma, model)
        evaluate = _Evaluator(self, model, (X, y, gamma), eval_train, eval_test)
        P = model.init_params(X.shape[1])
        _warm_up(X, codes, gamma, model, settings["batch_size"])
        # One BLAS thread: evaluation threads that spin on after a call would
        # steal the core from the timed kernels.
        with threadpool_limits(limits=1):
            self._train(problem, P, settings, evaluate, callback)
        return self

    def _check_settings(self) -> dict:
        _checks.check_option("optimizer", self.optimizer, tuple(OPTIMIZERS))
        _checks.check_option("schedule", self.schedule, SCHEDULES)
        _checks.check_option("order", self.order, ORDERS)
        return {
            "learning_rate": _checks.check_real(
                "learning_rate", self.learning_rate, low=0.0
            ),
            "tau": _checks.check_real("tau", self.tau, low=0.0, high=1.0),
            "decay": _checks.check_real("decay", self.decay, low=0.0, high=1.0),
            "epochs": _checks.check_int("epochs", self.epochs, low=1),
            "batch_size": _checks.check_int("batch_size", self.batch_size, low=1),
            "l2": _checks.check_real("l2", self.l2, low=0.0, low_open=False),
        }

    def _train(self, problem, P, settings, evaluate, callback) -> None:
        optimizer = OPTIMIZERS[self.optimizer]()
        rng = np.random.default_rng(self.random_state)
        m = len(problem.y)
        alphas = step_sizes(
            self.schedule,
            settings["learning_rate"],
            settings["epochs"],
            tau=settings["tau"],
            decay=settings["decay"],
        )
        state = optimizer.init(P, problem)
        history = {key: [] for key in HISTORY_KEYS}
        _record(history, 0, 0.0, 0, np.nan, evaluate(P))
        self.diverged_epoch_, elapsed, last_good = None, 0.0, P.copy()
        for epoch, alpha in enumerate(alphas, start=1):
            order = rng.permutation(m) if self.order == "shuffle" else np.arange(m)
            start = time.perf_counter()
            state = optimizer.update(
                state, problem, order, alpha, settings["batch_size"]
            )
            elapsed += time.perf_counter() - start
            with np.errstate(all="ignore"):
                scores = evaluate(state.params)
            if not (np.all(np.isfinite(state.params)) and np.isfinite(scores[0])):
                self._diverged(epoch, state.params, last_good)
                break
            last_good[:] = state.params
            evals = epoch * m * optimizer.evaluations_per_sample
            _record(history, epoch, elapsed, evals, alpha, scores)
            if callback is not None:
                callback(epoch, state.params)
        self._set_results(last_good, history)

    def _diverged(self, epoch: int, params, last_good) -> None:
        self.diverged_epoch_ = epoch
        warnings.warn(
            f"{self.optimizer} diverged at epoch {epoch} (learning_rate="
            f"{self.learning_rate!r}): the loss or the parameters are not finite; "
            f"training stopped and the parameters of epoch {epoch - 1} are kept. "
            "Try a smaller learning_rate.",
            DivergenceWarning,
            stacklevel=4,
        )

    def _set_results(self, P, history) -> None:
        self.params_ = P
        self.coef_ = P[:, :-1]
        self.intercept_ = P[:, -1]
        self.history_ = history
        self.n_epochs_ = history["epoch"][-1]
        self.n_features_in_ = P.shape[1] - 1

    def decision_function(self, X) -> np.ndarray:
        """Scores: shape (n,) for binary, (n, n_classes) for multinomial."""
        X = _checks.check_X(X)
        Z = np.asarray(X @ self.coef_.T) + self.intercept_
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), in ``classes_`` order."""
        Z = self.decision_function(X)
        if Z.ndim == 1:
            p = 0.5 * (1.0 + np.tanh(0.5 * Z))
            return np.column_stack([1.0 - p, p])
        return softmax(Z, axis=1)

    def predict(self, X) -> np.ndarray:
        """The most probable label of each row."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def score(self, X, y, sample_weight=None) -> float:
        """Accuracy (weighted by ``sample_weight`` when given)."""
        return float(
            np.average(self.predict(X) == np.asarray(y), weights=sample_weight)
        )


def _warm_up(X, codes, gamma, model, batch_size) -> None:
    """Compile or load the kernels on two rows, so that epoch 1 is not charged."""
    tiny = make_problem(X[:2], codes[:2], gamma[:2], model)
    order = np.arange(len(tiny.y))
    for name in ("sgd", "saga", "svrg"):
        optimizer = OPTIMIZERS[name]()
        state = optimizer.init(model.init_params(X.shape[1]), tiny)
        optimizer.update(state, tiny, order, 0.0, batch_size)


def _record(history, epoch, elapsed, evals, alpha, scores) -> None:
    values = (epoch, elapsed, evals, alpha, *scores)
    for key, value in zip(HISTORY_KEYS, values, strict=True):
        history[key].append(float(value) if key != "epoch" else int(value))


class _Evaluator:
    """Train loss on ``eval_train`` (or the weighted training set); test loss, error."""

    def __init__(self, estimator, model, training, eval_train, eval_test):
        self.model = model
        self.classes = estimator.classes_
        X, y, gamma = training if eval_train is None else (*eval_train, None)
        self.train = (_checks.check_X(X, "eval_train X"), self._codes(y), gamma)
        self.test = None
        if eval_test is not None:
            X_test = _checks.check_X(eval_test[0], "eval_test X")
            self.test = (X_test, self._codes(eval_test[1]))

    def _codes(self, y) -> np.ndarray:
        y = np.asarray(y)
        position = np.searchsorted(self.classes, y)
        position = np.minimum(position, len(self.classes) - 1)
        if np.any(self.classes[position] != y):
            unknown = np.setdiff1d(np.unique(y), self.classes)
            raise ValueError(
                f"evaluation labels {unknown[:10]} are not in {self.classes}"
            )
        if self.model.kind == "binary":
            return np.where(position == 1, 1.0, -1.0)
        return position.astype(np.float64)

    def __call__(self, P) -> tuple[float, float, float]:
        X, y, gamma = self.train
        train = self.model.loss(P, X, y, gamma)
        if self.test is None:
            return train, np.nan, np.nan
        X_test, y_test = self.test
        losses = self.model.sample_losses(P, X_test, y_test)
        Z = self.model.scores(P, X_test)
        if self.model.kind == "binary":
            # A tie (score 0) predicts the first class, as ``predict`` does.
            wrong = np.where(Z[:, 0] > 0, 1.0, -1.0) != y_test
        else:
            wrong = np.argmax(Z, axis=1) != y_test
        penalty = 0.5 * self.model.l2 * np.sum(P[:, :-1] ** 2)
        return train, float(losses.mean() + penalty), float(np.mean(wrong))
