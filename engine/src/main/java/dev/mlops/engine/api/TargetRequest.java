package dev.mlops.engine.api;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What every release operation (deploy, rollback, status, stop) needs to find the app: the spec and its overrides
 * (optional: without one every value is an option), the environment ({@code production}, the default, or
 * {@code staging}), and where blue and green run. Each {@code withX} is named like the CLI option and returns a copy;
 * null means "not set" (the spec's value, else the default).
 */
public abstract class TargetRequest<R extends TargetRequest<R>> implements Serializable, Cloneable {
    private static final long serialVersionUID = 1L;

    public static final String PRODUCTION = "production";
    public static final String STAGING = "staging";

    private String spec;
    private List<String> overrides = List.of();
    private String environment = PRODUCTION;
    private String app;
    private String target;
    private String stateDir;
    private Integer port;
    private String serverCmd;
    private String namespace;
    private String kubeconfig;
    private String context;
    private boolean inCluster;
    private String apiServer;
    private String caFile;
    private boolean insecureSkipTlsVerify;
    private String endpointTemplate;
    private String trackingUri;

    TargetRequest() {
    }

    /** A copy with {@code change} applied; the receiver is never modified. */
    @SuppressWarnings("unchecked")
    final R copy(Consumer<TargetRequest<R>> change) {
        try {
            TargetRequest<R> c = (TargetRequest<R>) super.clone();
            change.accept(c);
            return (R) c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** The pipeline spec whose {@code deploy} and {@code tracking} sections give the defaults. */
    public R withSpec(String v) {
        return copy(c -> c.spec = v);
    }

    public R withOverrides(List<String> v) {
        return copy(c -> c.overrides = Requests.list(v));
    }

    /** {@code production} (default) or {@code staging}: namespace, port and alias of that environment. */
    public R withEnvironment(String v) {
        return copy(c -> c.environment = v == null || v.isBlank() ? PRODUCTION : v.trim());
    }

    public R withApp(String v) {
        return copy(c -> c.app = v);
    }

    /** {@code local} or {@code kubernetes}. */
    public R withTarget(String v) {
        return copy(c -> c.target = v);
    }

    public R withStateDir(String v) {
        return copy(c -> c.stateDir = v);
    }

    public R withPort(Integer v) {
        return copy(c -> c.port = v);
    }

    public R withServerCmd(String v) {
        return copy(c -> c.serverCmd = v);
    }

    public R withNamespace(String v) {
        return copy(c -> c.namespace = v);
    }

    public R withKubeconfig(String v) {
        return copy(c -> c.kubeconfig = v);
    }

    public R withContext(String v) {
        return copy(c -> c.context = v);
    }

    public R withInCluster(boolean v) {
        return copy(c -> c.inCluster = v);
    }

    public R withApiServer(String v) {
        return copy(c -> c.apiServer = v);
    }

    public R withCaFile(String v) {
        return copy(c -> c.caFile = v);
    }

    public R withInsecureSkipTlsVerify(boolean v) {
        return copy(c -> c.insecureSkipTlsVerify = v);
    }

    public R withEndpointTemplate(String v) {
        return copy(c -> c.endpointTemplate = v);
    }

    public R withTrackingUri(String v) {
        return copy(c -> c.trackingUri = v);
    }

    public String spec() {
        return spec;
    }

    public List<String> overrides() {
        return overrides;
    }

    public String environment() {
        return environment;
    }

    public String app() {
        return app;
    }

    public String target() {
        return target;
    }

    public String stateDir() {
        return stateDir;
    }

    public Integer port() {
        return port;
    }

    public String serverCmd() {
        return serverCmd;
    }

    public String namespace() {
        return namespace;
    }

    public String kubeconfig() {
        return kubeconfig;
    }

    public String context() {
        return context;
    }

    public boolean inCluster() {
        return inCluster;
    }

    public String apiServer() {
        return apiServer;
    }

    public String caFile() {
        return caFile;
    }

    public boolean insecureSkipTlsVerify() {
        return insecureSkipTlsVerify;
    }

    public String endpointTemplate() {
        return endpointTemplate;
    }

    public String trackingUri() {
        return trackingUri;
    }

    /** Every field, in declaration order, subclasses' after these: equality, hash and text come from it. */
    List<Object> values() {
        List<Object> v = new ArrayList<>();
        v.add(spec);
        v.add(overrides);
        v.add(environment);
        v.add(app);
        v.add(target);
        v.add(stateDir);
        v.add(port);
        v.add(serverCmd);
        v.add(namespace);
        v.add(kubeconfig);
        v.add(context);
        v.add(inCluster);
        v.add(apiServer);
        v.add(caFile);
        v.add(insecureSkipTlsVerify);
        v.add(endpointTemplate);
        v.add(trackingUri);
        return v;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && values().equals(((TargetRequest<?>) o).values());
    }

    @Override
    public final int hashCode() {
        return Objects.hash(getClass(), values());
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + values();
    }
}
