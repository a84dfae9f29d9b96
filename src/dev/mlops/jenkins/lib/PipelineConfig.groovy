package dev.mlops.jenkins.lib

import com.cloudbees.groovy.cps.NonCPS

/**
 * mlPipeline's configuration: the library's defaults (resources/dev/mlops/jenkins/defaults.json, read with
 * libraryResource) overlaid with what the Jenkinsfile gives. A key the defaults do not have is an error naming it.
 */
class PipelineConfig implements Serializable {
    private static final long serialVersionUID = 1L

    /** The merged configuration, or throws IllegalArgumentException naming the first unknown or wrong key. */
    @NonCPS
    static Map merge(Map defaults, Map given) {
        return mergeAt('', defaults, given ?: [:])
    }

    @NonCPS
    private static Map mergeAt(String prefix, Map defaults, Map given) {
        Map out = new LinkedHashMap(defaults)
        given.each { k, v ->
            String key = prefix + k
            if (!defaults.containsKey(k)) {
                throw new IllegalArgumentException("mlPipeline: unknown setting '${key}'; known: " +
                        defaults.keySet().collect { prefix + it }.sort().join(', '))
            }
            Object d = defaults[k]
            if (d instanceof Map) {
                if (!(v instanceof Map)) {
                    throw new IllegalArgumentException("mlPipeline: '${key}' must be a map like ${d.keySet()}")
                }
                out[k] = mergeAt(key + '.', (Map) d, (Map) v)
            } else {
                out[k] = v
            }
        }
        Object timeout = out.approval instanceof Map ? out.approval.timeoutMinutes : null
        if (prefix == '' && !(timeout instanceof Integer && timeout > 0)) {
            throw new IllegalArgumentException("mlPipeline: 'approval.timeoutMinutes' must be a positive whole number, got ${timeout}")
        }
        return out
    }

    /** Where a spec-relative default output lands, relative to the workspace: "examples/x/out". */
    @NonCPS
    static String outDir(Map cfg) {
        String spec = cfg.spec as String
        int slash = spec.lastIndexOf('/')
        return slash < 0 ? 'out' : spec.substring(0, slash) + '/out'
    }
}
