"""Baseline server: Flask under gunicorn sync workers, in the style of the classic
SageMaker "bring your own container" example (parse the CSV body, predict, answer CSV).

Run by bench/serving.py only; MODEL_DIR holds `xgboost-model`.
"""

from __future__ import annotations

import io
import os

import flask
import numpy as np
import xgboost

booster = xgboost.Booster()
booster.load_model(os.path.join(os.environ["MODEL_DIR"], "xgboost-model"))
app = flask.Flask(__name__)


@app.route("/ping", methods=["GET"])
def ping() -> flask.Response:
    return flask.Response(response="\n", status=200, mimetype="application/json")


@app.route("/invocations", methods=["POST"])
def invocations() -> flask.Response:
    if flask.request.content_type != "text/csv":
        return flask.Response(response="CSV only", status=415, mimetype="text/plain")
    rows = np.loadtxt(io.StringIO(flask.request.data.decode("utf-8")), delimiter=",", ndmin=2)
    predictions = booster.predict(xgboost.DMatrix(rows))
    out = io.StringIO()
    np.savetxt(out, predictions, delimiter=",")
    return flask.Response(response=out.getvalue(), status=200, mimetype="text/csv")
