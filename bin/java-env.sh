# Sourced by bin/start, bin/test and bin/chime (and by the release archive's launchers): finds a
# JDK 21 or newer and exports JAVA_HOME. Looks at JAVA_HOME, then the java on PATH, then every JDK
# under /usr/lib/jvm and /Library/Java/JavaVirtualMachines, and takes the first whose version is
# 21 or more. `chime_find_jdk runtime` takes a Java without a compiler too (a JRE), for running.

java_major() {
  # prints the feature version of the java binary given, or nothing
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

chime_find_jdk() {
  local need_javac=yes candidates=() java_on_path home
  [ "${1:-}" = runtime ] && need_javac=no
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if java_on_path=$(command -v java 2>/dev/null); then
    home=$(dirname "$(dirname "$(readlink -f "$java_on_path")")")
    candidates+=("$home")
  fi
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] && candidates+=("$home")
  done
  local best="" best_major=0 major
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    [ "$need_javac" = no ] || [ -x "$home/bin/javac" ] || continue
    major=$(java_major "$home/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ]; then
      # the first candidate that is new enough wins: JAVA_HOME and PATH are the user's choice
      best="$home"; best_major=$major
      break
    fi
  done
  if [ -z "$best" ]; then
    if [ "$need_javac" = no ]; then
      echo "Chime needs Java 21 or newer (none found in JAVA_HOME, PATH or /usr/lib/jvm): install one, e.g. 'apt install openjdk-21-jre-headless', or set JAVA_HOME." >&2
    else
      echo "Chime needs a JDK 21 or newer (none found in JAVA_HOME, PATH or /usr/lib/jvm): install one, e.g. 'apt install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
    fi
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  : "$best_major"
}

# Prints the JVM options that keep a class-data archive of Chime's classes in the folder given
# (the data folder): the first start writes it when the JVM exits, later starts map it instead of
# loading and verifying thousands of classes again, and a new jar or JDK makes it be written anew.
# Nothing when CHIME_CLASS_ARCHIVE=off, when CHIME_JAVA_OPTS names an archive of its own, or when
# the folder cannot be written.
chime_class_archive_opts() {
  local dir="$1"
  [ "${CHIME_CLASS_ARCHIVE:-on}" != off ] || return 0
  case " ${CHIME_JAVA_OPTS:-} " in *SharedArchiveFile*) return 0 ;; esac
  mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || return 0
  printf '%s' "-XX:SharedArchiveFile=$dir/chime-classes.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off"
}
