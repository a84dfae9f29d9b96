import dev.mlops.jenkins.lib.PipelineConfig
import dev.mlops.jenkins.lib.ReleaseDecision
import dev.mlops.jenkins.lib.Results

/**
 * mlPipeline: the whole pipeline in one call (see vars/mlPipeline.txt): checkout, validate data, train, gate (its
 * JUnit published), register, build and push the image tagged with the git SHA, deploy to staging, a human
 * approval with a timeout, blue-green production, mlRollback when production is left on a failed release, and a
 * notification on failure.
 */
def call(Map config = [:]) {
    Map cfg = settings(config)
    Map tracked = [spec: cfg.spec, set: cfg.set, trackingUri: cfg.trackingUri,
                   mlflowCredentialsId: cfg.mlflowCredentialsId, mlflowCredentialsType: cfg.mlflowCredentialsType]
    Map state = [:]
    try {
        node(cfg.agent.label ?: '') {
            stage('Checkout') {
                Map scmVars = checkout(scm) ?: [:]
                state.sha = scmVars.GIT_COMMIT ?: env.GIT_COMMIT
            }
            stage('Validate data') {
                mlValidateData(spec: cfg.spec, set: cfg.set)
            }
            stage('Train') {
                state.train = mlTrain(tracked + [gitSha: state.sha])
            }
            stage('Gate') {
                // Publish the gate's JUnit whatever the verdict, then stop on a failed gate: nothing is deployed.
                Map gate = mlGate(tracked + [onViolation: 'ignore'])
                junit(testResults: gate.junitXml, allowEmptyResults: true)
                if (!gate.passed) {
                    if (cfg.gate.onViolation == 'fail') {
                        error(Results.gateFailure('mlGate', gate))
                    }
                    unstable(Results.gateFailure('mlGate', gate))
                }
                state.model = mlRegister(tracked)
            }
            stage('Build image') {
                if (cfg.image.name) {
                    String tag = "${cfg.image.name}:${state.sha}"
                    docker.withRegistry(cfg.image.registry, cfg.image.credentialsId) {
                        docker.build(tag, cfg.image.context).push()
                    }
                    state.image = tag
                } else {
                    echo 'mlPipeline: no image.name set; the spec\'s deploy.image (tagged with the git SHA) is used'
                }
            }
            if (cfg.staging.enabled) {
                stage('Deploy staging') {
                    state.staging = blueGreenDeploy(release(tracked, state, 'staging', cfg.staging.kubeconfigCredentialsId))
                }
            }
        }
        stage('Approve') {
            // Outside node: no executor is held while waiting for a person.
            timeout(time: cfg.approval.timeoutMinutes, unit: 'MINUTES') {
                state.approver = input(message: cfg.approval.message, ok: cfg.approval.ok,
                        submitter: cfg.approval.submitters, submitterParameter: 'approver')
            }
        }
        node(cfg.agent.label ?: '') {
            stage('Deploy production') {
                checkout(scm)
                Map rel = blueGreenDeploy(release(tracked, state, 'production', cfg.production.kubeconfigCredentialsId)
                        + [propagate: false])
                state.production = rel
                if (rel.exitCode != 0) {
                    if (ReleaseDecision.needsRollback(rel)) {
                        rollBack(tracked, cfg)
                    }
                    error(Results.release('blueGreenDeploy', rel))
                }
                if (cfg.production.verify) {
                    try {
                        cfg.production.verify.call(rel)
                    } catch (e) {
                        echo "mlPipeline: the checks after the production release failed (${e.message}); rolling back"
                        rollBack(tracked, cfg)
                        throw e
                    }
                }
            }
        }
        return state
    } catch (e) {
        notifyFailure(cfg, e)
        throw e
    }
}

/** The library's defaults overlaid with the Jenkinsfile's settings; a wrong key fails here, naming it. */
private Map settings(Map config) {
    Map defaults = Results.parse(libraryResource('dev/mlops/jenkins/defaults.json'))
    try {
        return PipelineConfig.merge(defaults, config)
    } catch (IllegalArgumentException e) {
        error(e.message)
    }
    return null
}

private Map release(Map tracked, Map state, String environment, String kubeconfig) {
    Map args = tracked + [environment: environment, modelVersion: state.model.version, gitSha: state.sha,
                          kubeconfigCredentialsId: kubeconfig]
    if (state.image) {
        args.image = state.image
    }
    return args
}

private void rollBack(Map tracked, Map cfg) {
    mlRollback(tracked + [environment: 'production', to: 'previous',
                          kubeconfigCredentialsId: cfg.production.kubeconfigCredentialsId])
}

private void notifyFailure(Map cfg, Throwable e) {
    String subject = "mlops pipeline failed: ${env.JOB_NAME} #${env.BUILD_NUMBER}"
    String body = "${e.message}\n\n${env.BUILD_URL ?: ''}"
    if (!cfg.notify.to) {
        echo "mlPipeline: ${subject} (set notify.to to send mail)"
    } else if (cfg.notify.emailext) {
        emailext(to: cfg.notify.to, subject: subject, body: body)
    } else {
        mail(to: cfg.notify.to, subject: subject, body: body)
    }
}
