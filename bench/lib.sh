# Shared by the bench scripts: build the jar and the test classes, and put the benchmark classpath in $cp.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat target/bench.classpath)"
