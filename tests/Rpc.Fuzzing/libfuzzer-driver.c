// A libFuzzer driver for a .NET fuzz target run by SharpFuzz's Fuzzer.LibFuzzer.Run (our own code; fuzz.sh builds
// it with `clang -fsanitize=fuzzer`). libFuzzer calls LLVMFuzzerTestOneInput in this process; the target runs in a
// .NET process started once, and the two talk as SharpFuzz expects:
//  - one System V shared memory segment: 64 KiB of edge counters that the instrumented Rpc.dll bumps, then the input;
//  - a control pipe (we write the input's length as an int32) and a status pipe (the target writes an int32: 0 when
//    it handled the input, 2 when an exception escaped), both named to it by file descriptor in environment variables.
// After each input the counters are copied into libFuzzer's extra counters, which is how it sees .NET coverage.
//
// Environment: RPC_FUZZ_COMMAND is the program to start (the fuzzing app host), RPC_FUZZ_TARGET its target name.

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAP_SIZE (1 << 16)
#define MAX_INPUT_SIZE (1 << 20)
#define STATUS_CRASH 2

// Not static, and marked used: the compiler would otherwise drop an array that is only ever written.
__attribute__((used, section("__libfuzzer_extra_counters"))) uint8_t extra_counters[MAP_SIZE];

static uint8_t *shared;
static int control_fd = -1;
static int status_fd = -1;
static pid_t target_pid;

static void die(const char *what) {
    fprintf(stderr, "libfuzzer-driver: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int read_all(int fd, void *buffer, size_t length) {
    uint8_t *at = buffer;
    while (length > 0) {
        ssize_t got = read(fd, at, length);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return -1;
        at += got;
        length -= (size_t)got;
    }
    return 0;
}

static int write_all(int fd, const void *buffer, size_t length) {
    const uint8_t *at = buffer;
    while (length > 0) {
        ssize_t put = write(fd, at, length);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) return -1;
        at += put;
        length -= (size_t)put;
    }
    return 0;
}

// The target died without a status (a stack overflow, an exception on another thread, a kill): report how, and
// crash so that libFuzzer saves the input.
static void target_died(void) {
    int status = 0;
    if (waitpid(target_pid, &status, 0) == target_pid) {
        if (WIFSIGNALED(status)) fprintf(stderr, "libfuzzer-driver: the .NET target died of signal %d\n", WTERMSIG(status));
        else if (WIFEXITED(status)) fprintf(stderr, "libfuzzer-driver: the .NET target exited with %d\n", WEXITSTATUS(status));
    } else {
        fprintf(stderr, "libfuzzer-driver: the .NET target went away\n");
    }
    abort();
}

static void stop_target(void) {
    if (target_pid > 0) kill(target_pid, SIGKILL);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    const char *command = getenv("RPC_FUZZ_COMMAND");
    const char *target = getenv("RPC_FUZZ_TARGET");
    if (command == NULL || target == NULL) {
        fprintf(stderr, "libfuzzer-driver: set RPC_FUZZ_COMMAND (the fuzzing program) and RPC_FUZZ_TARGET (a target name)\n");
        exit(1);
    }

    int shm_id = shmget(IPC_PRIVATE, MAP_SIZE + MAX_INPUT_SIZE, IPC_CREAT | IPC_EXCL | 0600);
    if (shm_id < 0) die("shmget");
    shared = shmat(shm_id, NULL, 0);
    if (shared == (void *)-1) die("shmat");

    int control[2], status[2];
    if (pipe(control) != 0 || pipe(status) != 0) die("pipe");

    target_pid = fork();
    if (target_pid < 0) die("fork");
    if (target_pid == 0) {
        // The target dies with us, whatever way we end (libFuzzer's timeout handler exits without atexit).
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        close(control[1]);
        close(status[0]);
        char value[32];
        snprintf(value, sizeof value, "%d", shm_id);
        setenv("__LIBFUZZER_SHM_ID", value, 1);
        snprintf(value, sizeof value, "%d", control[0]);
        setenv("__LIBFUZZER_CONTROL_PIPE_ID", value, 1);
        snprintf(value, sizeof value, "%d", status[1]);
        setenv("__LIBFUZZER_STATUS_PIPE_ID", value, 1);
        execl(command, command, target, "--libfuzzer", (char *)NULL);
        fprintf(stderr, "libfuzzer-driver: cannot start %s: %s\n", command, strerror(errno));
        _exit(127);
    }
    close(control[0]);
    close(status[1]);
    control_fd = control[1];
    status_fd = status[0];
    atexit(stop_target);
    signal(SIGPIPE, SIG_IGN);

    // The target writes one status once it has attached the segment and is ready.
    int32_t ready;
    if (read_all(status_fd, &ready, sizeof ready) != 0) target_died();
    // Both processes are attached: the segment goes away when both detach, even if we are killed.
    shmctl(shm_id, IPC_RMID, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > MAX_INPUT_SIZE) size = MAX_INPUT_SIZE;
    memset(shared, 0, MAP_SIZE);
    memcpy(shared + MAP_SIZE, data, size);
    int32_t length = (int32_t)size;
    if (write_all(control_fd, &length, sizeof length) != 0) target_died();
    int32_t status;
    if (read_all(status_fd, &status, sizeof status) != 0) target_died();
    memcpy(extra_counters, shared, MAP_SIZE);
    if (status == STATUS_CRASH) {
        // The target printed the exception; libFuzzer saves the input on abort.
        abort();
    }
    return 0;
}
