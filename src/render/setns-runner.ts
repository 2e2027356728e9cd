/**
 * How a runner enters each namespace of its share before running `ip -batch` there.
 *
 * - `ip`: `xargs -0 -n 4 ip`, reading `-n`, NS, `-batch`, FILE per namespace: ip enters the namespace
 *   itself, one program started per namespace, the batch a file netlab wrote. `ip -n` also gives
 *   itself a mount namespace (a copy of the machine's mount table, which holds one bind mount per
 *   network namespace), so its cost grows with the namespaces on the machine; perl's does not. Measured on a
 *   2-core VM (issue 17, `bench/runner-entry.sh`): at 200 namespaces the same batches took 15-20%
 *   less time with `ip -n` than with perl (the extra CPU is perl's fork, not the kernel's), at 500
 *   6-20% less, at 1,000 the same; so runners use it while the machine has fewer than
 *   IP_ENTRY_MAX_NAMESPACES network namespaces (apply-plan.ts). Only for `ip` batches (xargs runs one
 *   program): a namespace with a `bridge` batch keeps its own process.
 * - `nsenter`: `xargs -0 -n 5 nsenter --net=/run/netns/NS -- ip -batch FILE`, two programs started
 *   per namespace (nsenter, then ip); it reads five NUL-separated fields per namespace,
 *   `--net=/run/netns/NS`, `--`, `ip`, `-batch`, FILE, and each batch is a file netlab wrote.
 * - `perl`: one small perl process forks per namespace, calls setns(2) in the child and execs
 *   `ip -batch -` there, the namespace's batch on a pipe: one program started per namespace and no
 *   file at all. At 200 namespaces the config phase takes 12-20% less than with nsenter (issue 5:
 *   375-389 -> 331-342 ms in netlab); writing and removing the 200 batch files cost 40-48 ms of CPU
 *   on an ext4 state directory (issue 17: 1-3 ms on tmpfs). It reads six fields per namespace: the
 *   five above with `-` for FILE, then the batch's text. perl is part of every Debian and Ubuntu
 *   system (perl-base is Essential); the setns system call number depends on the CPU architecture,
 *   so machines whose number is not known here use nsenter.
 *
 * Both go on with the other namespaces after a failure and exit non-zero when any failed; errors
 * from `ip` pass through unchanged. perl, whose batches all read as `-` in ip's "Command failed
 * -:N", says after each batch that failed which one it was: `netlab-runner: failed in PATH (batch K)`.
 */
export type NamespaceEntry = 'perl' | 'nsenter' | 'ip';

/** at or above this many network namespaces on the machine (the lab's included), runners enter with perl, not `ip -n` */
export const IP_ENTRY_MAX_NAMESPACES = 800;

/** setns(2) by Node's process.arch (Linux system call tables). */
const SETNS_SYSCALL: Readonly<Record<string, number>> = {
  x64: 308,
  arm64: 268,
  riscv64: 268,
  loong64: 268,
  ia32: 346,
  arm: 375,
  ppc64: 350,
  s390x: 339,
};

export function setnsSyscall(arch: string = process.arch): number | undefined {
  return SETNS_SYSCALL[arch];
}

/** A cannot-enter message names the namespace file so the failure maps to that namespace's steps. */
export const ENTER_FAILED_PREFIX = /^(?:nsenter|netlab-runner): /;

/** What `ip -n NS` says when it cannot enter NS (iproute2's netns_switch), group 1 the name. */
export const IP_ENTER_FAILED = /^(?:Cannot open network namespace|setting the network namespace) "([^"]+)"/;

const CLONE_NEWNET = 0x40000000;

/**
 * The line the perl runner writes to stderr after each batch that failed: the namespace's path
 * (group 1) and the batch's place in the runner's input, from 1 (group 2; a namespace may have two
 * batches, `ip` and `bridge`).
 */
export const runnerFailedIn = (): RegExp => /^netlab-runner: failed in (\S+) \(batch (\d+)\)\n?/gm;

// exit, not POSIX::_exit, in a child that could not enter or exec: loading POSIX costs each runner
// 6 ms of CPU (perf, issue 17), and a child has nothing to flush (the runner writes no STDOUT, STDERR is
// unbuffered, STDIN was read whole before the first fork) and no END block to run. SIGPIPE is ignored
// while the runner writes a batch to a child that died before reading it (it could not enter), and
// back to the default in the child, as ip would have it.
const PERL_RUNNER = `use strict; use warnings;
my $setns = shift @ARGV;
local $/ = "\\0";
my @fields = map { chomp; $_ } <STDIN>;
my ($failed, $n) = (0, 0);
$SIG{PIPE} = 'IGNORE';
while (my ($net, undef, @command) = splice(@fields, 0, 6)) {
  $n++;
  my $batch = pop @command;
  (my $path = $net) =~ s/^--net=//;
  pipe(my $r, my $w) or die "netlab-runner: pipe: $!\\n";
  my $pid = fork() // die "netlab-runner: fork: $!\\n";
  if ($pid == 0) {
    close($w); open(STDIN, '<&', $r) or do { print STDERR "netlab-runner: stdin: $!\\n"; exit(1) }; close($r);
    $SIG{PIPE} = 'DEFAULT';
    open(my $ns, '<', $path) or do { print STDERR "netlab-runner: cannot open $path: $!\\n"; exit(1) };
    syscall($setns, fileno($ns), ${CLONE_NEWNET}) == 0 or do { print STDERR "netlab-runner: cannot enter $path: $!\\n"; exit(1) };
    exec { $command[0] } @command or do { print STDERR "netlab-runner: cannot run $command[0]: $!\\n"; exit(127) };
  }
  close($r);
  while (length $batch) { my $n = syswrite($w, $batch) // last; substr($batch, 0, $n) = '' }
  close($w);
  waitpid($pid, 0);
  next if $? == 0;
  $failed = 1;
  print STDERR "netlab-runner: failed in $path (batch $n)\\n";
}
exit $failed;
`;

/** The runner's argv; its input is the NUL-separated fields described above. */
export function runnerArgv(entry: NamespaceEntry, arch: string = process.arch): string[] {
  if (entry === 'nsenter') return ['xargs', '-0', '-n', '5', 'nsenter'];
  if (entry === 'ip') return ['xargs', '-0', '-n', '4', 'ip'];
  const syscall = setnsSyscall(arch);
  if (syscall === undefined) throw new Error(`no setns system call number for ${arch}`);
  return ['perl', '-e', PERL_RUNNER, String(syscall)];
}
