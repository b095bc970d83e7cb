# The node's image: the jar, on a runtime linked with only the modules the node needs (jlink), started with an
# ahead-of-time cache made by a clustered training run (Java 25: classes loaded and linked ahead of time, and method
# profiles, so the JIT starts warm). Three stages; the build needs nothing but Docker:
#   docker build -t satellite:latest .
# Without Docker, `image/runtime.sh` builds the same runtime and cache into target/runtime (LinkedRuntimeIT runs it).

# 1. The jar, with the Maven wrapper, on Java 17 (the jar's own baseline).
FROM eclipse-temurin:17-jdk AS jar
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
COPY conf conf
RUN ./mvnw -B -q -DskipTests package

# 2. The runtime and its AOT cache, made with Java 25 at the path the final image runs them from (a cache fits
#    only the runtime and the jar it was made with, at their paths).
FROM eclipse-temurin:25-jdk AS runtime
WORKDIR /src
COPY image image
COPY conf conf
COPY --from=jar /src/target/satellite.jar target/satellite.jar
RUN bash image/runtime.sh --jar target/satellite.jar --out /opt/satellite --train-seconds 10

# 3. The image: a slim glibc base, the runtime, the jar and conf/, a non-root user. The root filesystem may be
#    read-only: the cache is only read; Vert.x and the JVM write to /tmp.
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --no-create-home satellite
COPY --from=runtime /opt/satellite /opt/satellite
WORKDIR /app
RUN ln -s /opt/satellite/app/conf /app/conf
# JVM flags (bench/collector.sh measured both choices in a 512Mi memory cgroup, under load):
# - G1 by name: under 1.75 GiB of memory (the Deployment's 512Mi) the JVM would pick the serial collector itself,
#   which collected ~7x as often, paused ~3x as long in all and held more memory for the same work.
# - The heap at 55 % of the limit: beside a full heap the node took 157–166 MiB more (metaspace and the AOT cache,
#   code, threads, Netty's buffers, the collector's own tables); at 75 % of 512Mi it went past the limit and the
#   kernel killed it. Larger limits can give the heap more (the prod overlay: 75 % of 1Gi).
ENV JAVA_OPTS="-XX:+UseG1GC -XX:MaxRAMPercentage=55 -XX:+ExitOnOutOfMemoryError"
USER 10001
EXPOSE 8080 9090 9100 5701 5702
ENTRYPOINT ["/opt/satellite/bin/satellite"]
CMD ["run"]
