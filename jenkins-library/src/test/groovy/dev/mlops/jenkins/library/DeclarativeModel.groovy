package dev.mlops.jenkins.library

import com.lesfurets.jenkins.unit.PipelineTestHelper

/**
 * JenkinsPipelineUnit 1.1 cannot run declarative pipelines, so this is the smallest model of what Declarative does
 * with the directives the reference Jenkinsfile uses: options are applied, environment sets env, stages run in
 * order and stop at the first failure, a stage's input directive is asked before its steps, script blocks run, stage
 * and pipeline post conditions (always, success, failure) run after. It records the stages it entered. It is not
 * Jenkins' Declarative engine (no agent allocation, no when, no parallel); JenkinsfileStructureTest checks the file's
 * shape separately.
 */
class DeclarativeModel {
    final List<String> stagesRun = []
    final Map<String, Object> env
    Throwable failure

    DeclarativeModel(Map<String, Object> env) {
        this.env = env
    }

    void register(PipelineTestHelper helper) {
        helper.registerAllowedMethod('pipeline', [Closure], { Closure body -> run(body) })
        helper.registerAllowedMethod('script', [Closure], { Closure c -> c.call() })
        helper.registerAllowedMethod('timeout', [Map], null)
        helper.registerAllowedMethod('culprits', [], { 'culprits' })
        helper.registerAllowedMethod('requestor', [], { 'requestor' })
        helper.registerAllowedMethod('checkout', [Map], { [GIT_COMMIT: env.GIT_COMMIT] })
    }

    private static Object with(Closure c, Object delegate) {
        Closure copy = c.rehydrate(delegate, c.owner, c.thisObject)
        copy.resolveStrategy = Closure.DELEGATE_FIRST
        return copy.call()
    }

    private void run(Closure body) {
        PipelineBlock p = new PipelineBlock()
        with(body, p)
        p.options?.call()
        if (p.environment) {
            with(p.environment, new EnvBlock(env: env))
        }
        StagesBlock stages = new StagesBlock()
        with(p.stages, stages)
        try {
            for (Map s : stages.stages) {
                runStage(s.name as String, s.body as Closure)
            }
        } catch (Throwable t) {
            failure = t
        }
        post(p.post, failure)
    }

    private void runStage(String name, Closure body) {
        StageBlock s = new StageBlock()
        with(body, s)
        stagesRun << name
        Throwable stageFailure = null
        try {
            s.options?.call()
            if (s.input) {
                InputBlock i = new InputBlock()
                with(s.input, i)
                body.owner.invokeMethod('input', [[message: i.message, ok: i.ok, submitter: i.submitter]] as Object[])
            }
            s.steps.call()
        } catch (Throwable t) {
            stageFailure = t
        }
        post(s.post, stageFailure)
        if (stageFailure) {
            throw stageFailure
        }
    }

    private static void post(Closure postBody, Throwable failed) {
        if (postBody == null) {
            return
        }
        PostBlock conditions = new PostBlock()
        with(postBody, conditions)
        conditions.always?.call()
        (failed ? conditions.failure : conditions.success)?.call()
    }

    static class PipelineBlock {
        Object agentSpec
        Closure options
        Closure environment
        Closure stages
        Closure post

        void agent(Object a) { agentSpec = a }
        void options(Closure c) { options = c }
        void environment(Closure c) { environment = c }
        void stages(Closure c) { stages = c }
        void post(Closure c) { post = c }
        Object getAny() { 'any' }
    }

    static class EnvBlock {
        Map env

        void setProperty(String name, Object value) { env[name] = value }
    }

    static class StagesBlock {
        final List<Map> stages = []

        void stage(String name, Closure body) { stages << [name: name, body: body] }
    }

    static class StageBlock {
        Closure steps
        Closure input
        Closure options
        Closure post

        void steps(Closure c) { steps = c }
        void input(Closure c) { input = c }
        void options(Closure c) { options = c }
        void post(Closure c) { post = c }
    }

    static class InputBlock {
        String message
        String ok
        String submitter

        void message(String m) { message = m }
        void ok(String o) { ok = o }
        void submitter(String s) { submitter = s }
    }

    static class PostBlock {
        Closure always
        Closure success
        Closure failure

        void always(Closure c) { always = c }
        void success(Closure c) { success = c }
        void failure(Closure c) { failure = c }
    }
}
