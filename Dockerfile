# Container image for k8s/: the self-contained jar on a JRE. Build the jar first:
#   ./mvnw -B -q -DskipTests package && docker build -t satellite:latest .
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --no-create-home satellite
WORKDIR /app
COPY target/satellite.jar /app/satellite.jar
USER 10001
EXPOSE 8080 9090 5701 5702
ENTRYPOINT ["java", "-jar", "/app/satellite.jar"]
CMD ["run"]
