package hudson.model;

public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {
    protected Run(JobT job, long timestamp) {
    }

    public int getNumber() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public String getUrl() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public String getExternalizableId() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    @Override
    public void addAction(Action a) {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public Result getResult() {
        throw new UnsupportedOperationException("compile-only declaration");
    }
}
