package dev.mlops.jenkins.actions;

import hudson.model.Run;
import jenkins.model.RunAction2;

import java.util.List;
import java.util.Locale;

/**
 * A run action of one mlops step: a row in the build's summary ({@code summary.jelly}) and a page of its own
 * ({@code index.jelly}). It holds plain values copied from the step's result, never a secret, and keeps the run
 * transient (actions are saved into build.xml).
 */
public abstract class MlopsAction implements RunAction2 {
    /** Where the plugin's images are served (src/main/webapp/images in the .hpi). */
    static final String IMAGES = "/plugin/mlops/images/";

    private transient Run<?, ?> run;
    private String urlName;

    protected MlopsAction(String urlName) {
        this.urlName = urlName;
    }

    /** Adds {@code action} to {@code run}; a second action of the same kind (staging, then production) gets "-2". */
    public static void attach(Run<?, ?> run, MlopsAction action) {
        String base = action.urlName;
        List<MlopsAction> existing = run.getActions(MlopsAction.class);
        int n = 1;
        while (true) {
            String candidate = n == 1 ? base : base + "-" + n;
            if (existing.stream().noneMatch(a -> candidate.equals(a.getUrlName()))) {
                action.urlName = candidate;
                break;
            }
            n++;
        }
        run.addAction(action);
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getUrlName() {
        return urlName;
    }

    @Override
    public String getIconFileName() {
        return IMAGES + icon() + ".svg";
    }

    /** The image name under {@link #IMAGES}, without ".svg". */
    protected abstract String icon();

    /** Numbers as people read them in a table: up to 4 significant digits, integers as integers. */
    public static String num(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return String.valueOf((long) d);
            }
            return String.format(Locale.ROOT, "%.4g", d).replaceFirst("(\\.\\d*?)0+$", "$1").replaceFirst("\\.$", "");
        }
        return String.valueOf(value);
    }
}
