# The model server image: `mlops serve` as a non-root user (uid 10001). The model is NOT in this image: the server
# loads it at start from --model, a registry reference (the default on Kubernetes) or a mounted file. For an image
# per model with the file baked in, build Dockerfile.model on top of this one.
#
#   docker build --build-arg GIT_SHA=$(git rev-parse HEAD) -t mlops-serve:$(git rev-parse --short HEAD) .
#   docker run -p 8080:8080 -e MLFLOW_TRACKING_URI=http://mlflow:5000 -e MLFLOW_TRACKING_TOKEN \
#       mlops-serve:<tag> --host 0.0.0.0 --model models:/breast-cancer-classifier/3
#   docker run -p 8080:8080 -v $PWD/out:/models:ro mlops-serve:<tag> --host 0.0.0.0 --model /models/model.tribuo
#
# Every `mlops serve` option can be an environment variable instead (MLOPS_MODEL, MLOPS_PORT, ...). The port is
# MLOPS_PORT (default 8080; `-e MLOPS_PORT=9090`), which the HEALTHCHECK follows. Arguments replace CMD, so pass
# `--host 0.0.0.0` with them: the server binds loopback unless told otherwise.
# scripts/pod-check.sh builds this image with Docker or buildah and runs the pod check against it.

# Base images pinned by digest (multi-arch index digests as pinned by public projects; not pulled here, this
# environment reaches no image registry). Refresh: docker buildx imagetools inspect eclipse-temurin:17-jre-jammy
# Override with --build-arg JDK_IMAGE=... / JRE_IMAGE=... (e.g. images built from Debian packages).
ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy@sha256:723151f3fc88ca2060153ee08ab8dbbea7983d6ed6f2622fe440acf178737c94
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy@sha256:475d8e96b4b2bfe08999e5e854755c773af1581acdf959a4545d88f0696a2339

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY engine/pom.xml engine/
COPY serve/pom.xml serve/
COPY cli/pom.xml cli/
COPY engine/src/ engine/src/
COPY serve/src/ serve/src/
COPY cli/src/ cli/src/
# The cache mount keeps downloaded dependencies between builds (BuildKit and buildah; no frontend image needed).
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -ntp -pl cli -am -DskipTests package

FROM ${JRE_IMAGE}
ARG GIT_SHA=unknown
LABEL org.opencontainers.image.title="mlops model server" \
      org.opencontainers.image.description="mlops serve (/predict, MLflow /invocations, Open Inference Protocol V2, /metrics); no model inside: it loads --model at start" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      dev.mlops.git-sha="${GIT_SHA}"
RUN groupadd --system --gid 10001 mlops && useradd --system --uid 10001 --gid mlops --home-dir /app --shell /usr/sbin/nologin mlops
WORKDIR /app
# Libraries change less often than our jar: separate layers.
COPY --from=build /src/cli/target/lib/ /app/lib/
COPY --from=build /src/cli/target/mlops.jar /app/mlops.jar
# The model server's JVM flags (serial GC, 48-160 MiB heap, one Netty arena): the one file ./mlops serve and the local
# deploy target use too. To change them, mount another file over /app/serve-jvm.options (a ConfigMap, say).
COPY --from=build /src/serve/src/main/resources/dev/mlops/serve/jvm.options /app/serve-jvm.options
USER 10001:10001
ENV MLOPS_PORT=8080
EXPOSE 8080
# bash's /dev/tcp keeps curl out of the image; the port is the server's (MLOPS_PORT).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MLOPS_PORT:-8080} && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "@/app/serve-jvm.options", "-jar", "/app/mlops.jar", "serve"]
CMD ["--host", "0.0.0.0"]
