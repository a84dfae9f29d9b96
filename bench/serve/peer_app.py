"""The peer a user would otherwise write: Flask + scikit-learn behind gunicorn, doing /predict's work.

Fits a LogisticRegression on the bundled breast-cancer data at start (30 numeric inputs, two classes, like the
benchmark's model), then answers GET /health and POST /predict {"features": [...]} with the label, the class
probabilities and the model's identity, as `mlops serve` does. Run by bench/serve/run.sh:
    gunicorn -w 5 -b 127.0.0.1:PORT --chdir bench/serve peer_app:app
"""
import csv
import os

import numpy as np
from flask import Flask, jsonify, request
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DATA = os.environ.get("PEER_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "examples",
                                                 "breast-cancer", "data", "breast_cancer.csv"))

with open(DATA, newline="") as f:
    rows = list(csv.reader(f))
header, rows = rows[0], rows[1:]
X = np.array([[float(v) for v in r[:-1]] for r in rows])
y = np.array([r[-1] for r in rows])
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, y)
classes = [str(c) for c in model.classes_]
n_inputs = X.shape[1]

app = Flask(__name__)


@app.get("/health")
def health():
    return jsonify(status="ok", model_name="peer", model_version="1")


@app.post("/predict")
def predict():
    body = request.get_json(force=True, silent=True)
    features = body.get("features") if isinstance(body, dict) else None
    if not isinstance(features, list) or len(features) != n_inputs:
        return jsonify(error=f"send {{\"features\": [{n_inputs} numbers]}}", status=400), 400
    try:
        row = np.array([features], dtype=float)
    except (TypeError, ValueError):
        return jsonify(error="features must be numbers", status=400), 400
    p = model.predict_proba(row)[0]
    best = int(np.argmax(p))
    return jsonify(prediction=classes[best], probabilities=dict(zip(classes, map(float, p))),
                   model_name="peer", model_version="1")
