#!/usr/bin/env bash
# `make test-slurm` (run by .ci/run after `make test`): the demo on a real single-node SLURM
# cluster on 127.0.0.1. Installs Debian 12's slurm-wlm and munge with apt-get when missing (as
# root; no systemd needed), writes /etc/slurm/slurm.conf for this node (where srun inside a job
# looks: the plugin's job step drops SLURM_CONF; removed again on exit), starts munged, slurmctld
# and slurmd itself and stops each by its PID file on exit. The demo runs in one throw-away copy
# with `snakemake --cores 2` and in another through SLURM with the site profile profiles/slurm
# and the CI settings of profiles/ci-slurm merged over it; tools/slurm_check.py then asserts
# that both made the same tables and that every SLURM job got the threads, mem_mb and runtime
# its rule declares, and prints the jobs.
# Idempotent: every run works in a new directory under ${TMPDIR:-/tmp}.
#   SLURM_CI_TIMEOUT  seconds for the SLURM run (default 1800); then Snakemake gets SIGINT
#   SLURM_CI_KEEP=1   keep the work directory (its path is printed)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PY="$REPO/.venv/bin/python"
TIMEOUT=${SLURM_CI_TIMEOUT:-1800}
START=$SECONDS

log() { printf '[ci_slurm %4ds] %s\n' "$((SECONDS - START))" "$*"; }
fail() {
	log "Error: $*"
	exit 1
}

[[ $(id -u) -eq 0 ]] || fail "run as root (installs packages, starts munged and the SLURM daemons)."
[[ -x $PY ]] || fail "$PY missing: run 'make setup' first."

# --- install ---------------------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
	! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
	log "installing slurm-wlm and munge (apt-get)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		slurm-wlm munge >/dev/null
fi
[[ -s /etc/munge/munge.key ]] || fail "/etc/munge/munge.key missing after installing munge."

# --- work directory, and the exit trap that stops the daemons by their PID files -------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lucarbon-slurm.XXXXXX")
CONF=/etc/slurm/slurm.conf
MARK="# Written by tools/ci_slurm.sh"
stop_daemon() { # name pidfile
	local pid
	[[ -s $2 ]] || return 0
	pid=$(cat "$2")
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid"
	for _ in $(seq 60); do
		kill -0 "$pid" 2>/dev/null || {
			log "stopped $1 (pid $pid)"
			return 0
		}
		sleep 0.5
	done
	log "$1 (pid $pid) still running after 30 s: SIGKILL"
	kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
	local status=$?
	set +e
	if [[ -s $WORK/run/slurmctld.pid ]]; then
		squeue -h -o %i 2>/dev/null | xargs -r scancel 2>/dev/null
	fi
	stop_daemon slurmd "$WORK/run/slurmd.pid"
	stop_daemon slurmctld "$WORK/run/slurmctld.pid"
	stop_daemon munged "$WORK/munge/munged.pid"
	if [[ -e $CONF ]] && head -n 1 "$CONF" | grep -qF "$MARK"; then rm -f "$CONF"; fi
	if [[ $status -ne 0 ]]; then
		for file in "$WORK"/log/slurmctld.log "$WORK"/log/slurmd.log; do
			[[ -f $file ]] && {
				echo "--- last lines of $file"
				tail -n 20 "$file"
			}
		done
	fi
	if [[ ${SLURM_CI_KEEP:-0} == 1 || $status -ne 0 ]]; then
		log "work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
	log "done in $((SECONDS - START)) s (exit $status)"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- configuration ------------------------------------------------------------------------------
chmod 755 "$WORK" # the munge user must reach its socket directory
mkdir -p "$WORK"/{state,spool,log,run,munge}
chown munge:munge "$WORK/munge"
chmod 755 "$WORK/munge" # clients (sbatch, slurmstepd) reach its socket
MUNGE_SOCKET="$WORK/munge/munge.socket"
if [[ -e $CONF ]] && ! head -n 1 "$CONF" | grep -qF "$MARK"; then
	fail "$CONF exists and was not written by this script: this machine has a SLURM of its own."
fi

NODE=$(hostname -s)
# This node's hardware as slurmd detects it (CPUs, sockets, cores, threads, memory in MB).
HARDWARE=$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]* //')
mkdir -p /etc/slurm
cat >"$CONF" <<EOF
$MARK: a single-node cluster for CI, daemons run as root by hand ($WORK).
ClusterName=lucarbon-ci
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/run/slurmctld.pid
SlurmdPidFile=$WORK/run/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
# No cgroups here and no accounting database (slurmdbd): jobs are tracked by process and
# reported by squeue (kept 600 s after they end) and in the job-completion log.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$WORK/log/jobcomp.txt
MinJobAge=600
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# A job without a memory request gets this per CPU instead of the whole node.
DefMemPerCPU=500
NodeName=$NODE NodeAddr=127.0.0.1 $HARDWARE State=UNKNOWN
PartitionName=ci Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
log "$(sinfo --version), $(munged --version 2>&1 | head -n 1), node $NODE: $HARDWARE"

log "starting munged, slurmctld, slurmd"
runuser -u munge -- munged --socket="$MUNGE_SOCKET" --pid-file="$WORK/munge/munged.pid" \
	--log-file="$WORK/munge/munged.log" --seed-file="$WORK/munge/munged.seed"
slurmctld
slurmd
for _ in $(seq 120); do
	state=$(sinfo -h -n "$NODE" -o %t 2>/dev/null || true)
	[[ $state == idle ]] && break
	sleep 0.5
done
[[ $state == idle ]] || fail "node $NODE not idle after 60 s (state: '${state:-none}')."
log "node $NODE idle: $(sinfo -h -N -o '%C CPUs (alloc/idle/other/total), %m MB')"

# --- the demo, locally and through SLURM -------------------------------------------------------
"$PY" "$REPO/tools/slurm_check.py" copy "$WORK/local" "$WORK/slurm"
log "profile of the SLURM run: profiles/slurm with profiles/ci-slurm over it"
"$PY" "$REPO/tools/slurm_check.py" profile "$WORK/slurm" | sed 's/^/    /'

log "local run (snakemake --cores 2)"
(cd "$WORK/local" && "$PY" -m snakemake --cores 2 >"$WORK/local.log" 2>&1) ||
	fail "local run failed, see $WORK/local.log"

log "SLURM run (--profile profiles/ci-slurm, timeout ${TIMEOUT} s)"
status=0
# SIGINT to Snakemake alone (--foreground), not to its process group: it cancels its SLURM
# jobs with scancel, which must not get the signal too. It ignores SIGTERM while it waits.
(cd "$WORK/slurm" && timeout --foreground --signal=INT --kill-after=120 "$TIMEOUT" \
	"$PY" -m snakemake --profile profiles/ci-slurm >"$WORK/slurm.log" 2>&1) || status=$?
if [[ $status -eq 124 ]]; then
	fail "SLURM run not finished after $TIMEOUT s: stopped with SIGINT, see $WORK/slurm.log"
elif [[ $status -ne 0 ]]; then
	tail -n 40 "$WORK/slurm.log"
	fail "SLURM run failed (exit $status), see $WORK/slurm.log"
fi
log "SLURM run finished"

"$PY" "$REPO/tools/slurm_check.py" check --local "$WORK/local" --slurm "$WORK/slurm" \
	--snakemake-log "$WORK/slurm.log" --jobcomp "$WORK/log/jobcomp.txt"
