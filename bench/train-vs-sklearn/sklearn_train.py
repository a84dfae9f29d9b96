#!/usr/bin/python3
"""The Python script a user would otherwise write, doing the same work as `mlops train` with one grid point and
folds 1: read the CSV, hold out a stratified 20% test split, standardise, fit once, evaluate on the test split
(accuracy, macro F1, ROC AUC or log loss, confusion matrix), save the model. Prints one JSON line of timings and
test accuracy.

Usage: sklearn_train.py CSV TARGET ALGORITHM [key=value ...] OUT_DIR   (OUT_DIR last, as `mlops train ... --out OUT_DIR`)
  ALGORITHM: logistic (LogisticRegression, lbfgs), hgb (HistGradientBoostingClassifier), forest (RandomForestClassifier)
  key=value: C, trees, maxDepth, eta, seed (same meaning as the mlops spec's model.grid / model.seed)
"""
import json
import os
import sys
import time

T0 = time.perf_counter()
try:
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, log_loss, roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    import joblib
except ImportError as e:
    sys.stderr.write("scikit-learn is not installed (%s): apt-get install python3-sklearn python3-pandas\n" % e)
    sys.exit(3)


def main(argv):
    if len(argv) < 5:
        sys.stderr.write(__doc__)
        return 2
    path, target, algorithm, out = argv[1], argv[2], argv[3], argv[-1]
    bad = [a for a in argv[4:-1] if "=" not in a]
    if bad:
        sys.stderr.write("expected key=value before OUT_DIR, got %r\n" % bad)
        return 2
    opts = dict(a.split("=", 1) for a in argv[4:-1])
    seed = int(opts.get("seed", 42))
    t = {}
    t_import = time.perf_counter()
    t["import"] = t_import - T0

    df = pd.read_csv(path)
    x = df.drop(columns=[target])
    y = df[target].astype(str)
    t_read = time.perf_counter()
    t["read"] = t_read - t_import

    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, stratify=y, random_state=seed)
    t_split = time.perf_counter()
    t["split"] = t_split - t_read

    if algorithm == "logistic":
        estimator = LogisticRegression(C=float(opts.get("C", 1.0)), solver="lbfgs", max_iter=1000)
    elif algorithm == "hgb":
        estimator = HistGradientBoostingClassifier(max_iter=int(opts.get("trees", 50)),
                                                   max_depth=int(opts.get("maxDepth", 6)),
                                                   learning_rate=float(opts.get("eta", 0.3)),
                                                   early_stopping=False, random_state=seed)
    elif algorithm == "forest":
        estimator = RandomForestClassifier(n_estimators=int(opts.get("trees", 50)),
                                           max_depth=int(opts.get("maxDepth", 10)),
                                           max_features="sqrt", n_jobs=int(opts.get("jobs", 1)),
                                           random_state=seed)
    else:
        sys.stderr.write("unknown algorithm %r: logistic, hgb or forest\n" % algorithm)
        return 2
    model = make_pipeline(StandardScaler(), estimator)
    model.fit(x_train, y_train)
    t_fit = time.perf_counter()
    t["fit"] = t_fit - t_split

    predicted = model.predict(x_test)
    proba = model.predict_proba(x_test)
    metrics = {
        "accuracy": accuracy_score(y_test, predicted),
        "f1_macro": f1_score(y_test, predicted, average="macro"),
        "log_loss": log_loss(y_test, proba, labels=model.classes_),
    }
    if len(model.classes_) == 2:
        metrics["roc_auc"] = roc_auc_score(y_test == model.classes_[1], proba[:, 1])
    confusion = confusion_matrix(y_test, predicted, labels=model.classes_).tolist()
    t_eval = time.perf_counter()
    t["evaluate"] = t_eval - t_fit

    os.makedirs(out, exist_ok=True)
    joblib.dump(model, os.path.join(out, "model.joblib"))
    with open(os.path.join(out, "metrics.json"), "w") as f:
        json.dump({"metrics": metrics, "confusion_matrix": confusion, "labels": model.classes_.tolist()}, f)
    t["save"] = time.perf_counter() - t_eval
    print(json.dumps({"accuracy": metrics["accuracy"], "train_rows": len(y_train), "test_rows": len(y_test),
                      "timings_s": {k: round(v, 3) for k, v in t.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
