package dev.mlops.jenkins.library

/** The docker-workflow global variable: withRegistry, build, push, recorded in order. */
class FakeDocker {
    final List<String> events

    FakeDocker(List<String> events) {
        this.events = events
    }

    Object withRegistry(String url, String credentialsId, Closure body) {
        events << "docker.withRegistry(${url}, ${credentialsId})".toString()
        return body.call()
    }

    Image build(String image, String args) {
        events << "docker.build(${image}, ${args})".toString()
        return new Image(image: image, events: events)
    }

    static class Image {
        String image
        List<String> events

        void push() {
            events << "docker.push(${image})".toString()
        }
    }
}
