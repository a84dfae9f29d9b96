# syntax=docker/dockerfile:1
# The model server image: `mlops serve` on port 8080.
#   docker build --build-arg GIT_SHA=$(git rev-parse HEAD) --build-arg MODEL_VERSION=3 -t mlops-serve .
#   docker run -p 8080:8080 -v $PWD/model.tribuo:/models/model.tribuo:ro mlops-serve
#   docker run -p 8080:8080 -e MLFLOW_TRACKING_URI=http://mlflow:5000 mlops-serve --model models:/credit@production
# Not built in this repository's CI sandbox (no Docker engine there); kept minimal and conventional.

ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy

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
# The cache mount keeps downloaded dependencies between builds.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -ntp -pl cli -am -DskipTests package

FROM ${JRE_IMAGE}
ARG GIT_SHA=unknown
ARG MODEL_NAME=unknown
ARG MODEL_VERSION=unknown
LABEL org.opencontainers.image.title="mlops model server" \
      org.opencontainers.image.description="mlops serve: /predict, MLflow /invocations, Open Inference Protocol V2, /metrics" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.version="${MODEL_VERSION}" \
      dev.mlops.model.name="${MODEL_NAME}" \
      dev.mlops.model.version="${MODEL_VERSION}" \
      dev.mlops.git-sha="${GIT_SHA}"
RUN groupadd --system --gid 10001 mlops && useradd --system --uid 10001 --gid mlops --home-dir /app --shell /usr/sbin/nologin mlops
WORKDIR /app
# Libraries change less often than our jar: separate layers.
COPY --from=build /src/cli/target/lib/ /app/lib/
COPY --from=build /src/cli/target/mlops.jar /app/mlops.jar
# The model server's JVM flags: the one file ./mlops and the local deploy target use too.
COPY --from=build /src/serve/src/main/resources/dev/mlops/serve/jvm.options /app/serve-jvm.options
RUN mkdir -p /models && chown mlops:mlops /models
USER 10001:10001
EXPOSE 8080
# bash's /dev/tcp keeps curl out of the image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# The server is Netty; nodelay covers any JDK HttpServer in the same JVM, which without it stalls every
# keep-alive response by ~40 ms (JDK-6968351).
ENTRYPOINT ["java", "@/app/serve-jvm.options", "-Dsun.net.httpserver.nodelay=true", "-jar", "/app/mlops.jar", "serve"]
CMD ["--model", "/models/model.tribuo", "--port", "8080"]
