package dev.mlops.jenkins.library

/**
 * The {@code steps} variable of a Pipeline script (workflow-cps' DSL): steps of the mlops plugin answer when the plugin
 * is "installed"; otherwise the same NoSuchMethodError Jenkins throws for an unknown step.
 */
class FakeSteps {
    final Set<String> installed = [] as Set
    final List<String> events
    final Map<String, Closure> answers = [:]

    FakeSteps(List<String> events) {
        this.events = events
    }

    def invokeMethod(String name, Object args) {
        if (!installed.contains(name)) {
            throw new NoSuchMethodError("No such DSL method '${name}' found among steps [echo, sh, node] or symbols [] or globals [mlTrain]")
        }
        Map arg = ((Object[]) args)[0] as Map
        events << "plugin:${name}(${arg})".toString()
        return answers[name] ? answers[name].call(arg) : [exitCode: 0]
    }
}
