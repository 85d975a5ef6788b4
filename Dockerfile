# syntax=docker/dockerfile:1
# The gateway (default target) and the WeChat emulator (--target emulator), built from this repository.
#   docker build -t tongxing .
#   docker build -t tongxing-wechat-emulator --target emulator .
# Nothing secret is built in: the master key, database and admin settings come from the environment at run
# time (TONGXING_KEYS_MASTERKEY, SPRING_DATASOURCE_URL, ...; see README "Deploying").

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY wechat-emulator/pom.xml wechat-emulator/pom.xml
COPY tongxing-server/pom.xml tongxing-server/pom.xml
COPY tongxing-bench/pom.xml tongxing-bench/pom.xml
COPY wechat-emulator/src wechat-emulator/src
COPY tongxing-server/src tongxing-server/src
# the Maven repository is a BuildKit cache, so a rebuild does not download every dependency again
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q -pl tongxing-server -am -DskipTests package \
 && cp tongxing-server/target/tongxing-server.jar /tongxing-server.jar \
 && cp wechat-emulator/target/wechat-emulator.jar /wechat-emulator.jar

# a JRE only, and a user of its own (never root)
FROM eclipse-temurin:25-jre AS runtime-base
RUN groupadd --system --gid 10001 tongxing \
 && useradd --system --uid 10001 --gid tongxing --home-dir /app --shell /usr/sbin/nologin tongxing \
 && mkdir -p /app/data \
 && chown -R 10001:10001 /app
WORKDIR /app
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001

FROM runtime-base AS emulator
COPY --from=build --chown=10001:10001 /wechat-emulator.jar /app/wechat-emulator.jar
EXPOSE 9080
# bash's /dev/tcp: the JRE image needs no curl for a health check
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/9080 && printf "GET /_emulator HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
ENTRYPOINT ["java", "-jar", "/app/wechat-emulator.jar", "--server.port=9080", "--server.address=0.0.0.0"]

FROM runtime-base AS gateway
COPY --from=build --chown=10001:10001 /tongxing-server.jar /app/tongxing-server.jar
ENV SERVER_PORT=8080
EXPOSE 8080
# liveness, not readiness: a node that is merely not ready (yet) must not be reported as broken
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT:-8080} && printf "GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
ENTRYPOINT ["java", "-jar", "/app/tongxing-server.jar"]
