# Shared by the bench/ scripts (sourced, not run): finds a JDK 25 and runs
# Maven quietly on it. Expects $bench to hold the script's name for messages.

java_feature() {
	# prints the feature release of the java binary $1, or nothing
	"$1" -XshowSettings:properties -version 2>&1 |
		sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

# sets JAVA and java_home to a JDK 25 or newer, or exits
find_java() {
	JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
	if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
		local v
		v=$(java_feature "$JAVA_HOME/bin/java")
		if [ -n "$v" ] && [ "$v" -ge 25 ]; then
			JAVA=$JAVA_HOME/bin/java
		fi
	fi
	local w
	w=$( [ -x "$JAVA" ] && java_feature "$JAVA" || true)
	if [ -z "$w" ] || [ "$w" -lt 25 ]; then
		echo "$bench: no JDK 25 or newer (\$JAVA_HOME is not one and $JAVA is missing or older)" >&2
		exit 1
	fi
	java_home=$(dirname "$(dirname "$JAVA")")
}

mvn_quiet() {
	# runs Maven on the chosen JDK; its output is shown only when it fails
	local log
	log=$(mktemp)
	if ! JAVA_HOME=$java_home mvn -B -q -ntp -Dstyle.color=never "$@" >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		echo "$bench: mvn $* failed" >&2
		exit 1
	fi
	rm -f "$log"
}

# prints which code is measured: the commit, and whether the tree differs from it
describe_commit() {
	local commit
	if commit=$(git rev-parse --short HEAD 2>/dev/null); then
		if [ -n "$(git status --porcelain -- src/main 2>/dev/null)" ]; then
			echo "commit: $commit, with uncommitted changes under src/main"
		else
			echo "commit: $commit"
		fi
	fi
}
