#!/usr/bin/python3
"""Issue 8 §3.1: multiclass `logistic` against scikit-learn's LogisticRegression(lbfgs) on the same rows.

For each of 20 seeds the engine makes its stratified 80/20 split and trains exactly as `mlops train` does
(SameRowsBench: C=1, one grid point, folds 1, standardised); scikit-learn then fits StandardScaler +
LogisticRegression(solver="lbfgs", C=1) on the very same training rows and scores the very same test rows.
Prints the mean test accuracy of both over the 20 splits, for sklearn's wine and iris data, and one-vs-rest
(liblinear, what `logistic` was before) as a reference. Target: engine within 1 point of scikit-learn.

Usage: multiclass.py CLASSPATH [SEEDS]   (run.sh passes the test classpath)
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from sklearn.datasets import load_iris, load_wine
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
except ImportError as e:
    sys.stderr.write("scikit-learn is not installed (%s): apt-get install python3-sklearn python3-pandas\n" % e)
    sys.exit(3)


def main(argv):
    cp = argv[1]
    seeds = int(argv[2]) if len(argv) > 2 else 20
    tmp = tempfile.mkdtemp()
    failed = False
    print("multiclass logistic, same rows, mean test accuracy over %d stratified 80/20 splits" % seeds)
    print("  %-6s %5s %3s  %12s  %16s  %18s  %6s" % ("data", "rows", "k", "mlops train", "sklearn lbfgs",
                                                     "sklearn OvR (ref.)", "diff"))
    for name, loader in (("wine", load_wine), ("iris", load_iris)):
        d = loader(as_frame=True)
        df = d.frame.copy()
        df["target"] = [d.target_names[t] for t in d.target]
        path = os.path.join(tmp, name + ".csv")
        df.to_csv(path, index=False)
        x = df.drop(columns=["target"]).to_numpy(dtype=float)
        y = df["target"].to_numpy()
        out = subprocess.run(["java", "-cp", cp, "dev.mlops.engine.train.SameRowsBench", path, "target",
                              str(seeds)], check=True, capture_output=True, text=True).stdout
        ours, theirs, ovr = [], [], []
        for line in out.splitlines():
            r = json.loads(line)
            test = np.array(r["test_rows"])
            train = np.setdiff1d(np.arange(len(y)), test)
            ours.append(r["accuracy"])
            m = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000))
            theirs.append(m.fit(x[train], y[train]).score(x[test], y[test]))
            o = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, solver="liblinear"))
            ovr.append(o.fit(x[train], y[train]).score(x[test], y[test]))
        diff = 100 * (np.mean(ours) - np.mean(theirs))
        failed |= abs(diff) > 1.0
        print("  %-6s %5d %3d  %11.2f%%  %15.2f%%  %17.2f%%  %+5.2f pt" % (
            name, len(y), len(set(y)), 100 * np.mean(ours), 100 * np.mean(theirs), 100 * np.mean(ovr), diff))
    print("  target: |diff| <= 1 point: %s" % ("MISSED" if failed else "met"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
