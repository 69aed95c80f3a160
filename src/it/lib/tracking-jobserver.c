/*
 * tracking-jobserver: a GNU make jobserver served from user space through FUSE, for the tests.
 *
 * It models the 2025-26 system jobservers (Gentoo's steve, guildmaster, the nixos jobserver): the
 * jobserver is a file, not a FIFO, and the server knows which process holds which token. A process
 * that dies holding tokens gets them taken back by the server itself; a write from a process that
 * holds nothing is refused and counted, so a client that gives back what it never read is caught.
 *
 *   usage: tracking-jobserver [--log FILE] MOUNTPOINT TOKENS
 *
 * MOUNTPOINT/jobserver  the jobserver (name it in MAKEFLAGS as --jobserver-auth=fifo:PATH)
 * MOUNTPOINT/status     one line: free= held= peak= reads= writes= refused= foreign= reclaimed=
 *                       interrupted= pending=
 * Prints "ready" once mounted and the final status line when unmounted or on SIGTERM/SIGINT.
 * See tracking-jobserver.md. Build:
 *   gcc -O2 -Wall -Wextra -Werror tracking-jobserver.c $(pkg-config --cflags --libs fuse3)
 */
#define FUSE_USE_VERSION 34
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ROOT_INO 1
#define JOBSERVER_INO 2
#define STATUS_INO 3

/* Token bytes: distinct, printable, so a test can tell which token came back. */
static const char ALPHABET[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
#define MAX_TOKENS ((int)sizeof(ALPHABET) - 1)

/* A client process, by thread-group id: tokens are held per process, like steve. */
struct proc {
    pid_t tgid;
    int pidfd;                 /* -1 once the reaper saw it exit (or pidfd_open failed) */
    int dead;
    int refs;                  /* open handles whose opener it is */
    int held;
    char tokens[MAX_TOKENS];   /* oldest first */
    struct proc *next;
};

/* An open jobserver file: its opener, and the poll handle the kernel waits on. */
struct handle {
    struct proc *proc;
    struct fuse_pollhandle *ph;
    struct handle *next;
};

/* A read that found no token: answered when one comes back, or with EINTR when interrupted. */
struct pending {
    fuse_req_t req;
    struct proc *proc;
    struct pending *next;
};

static struct {
    pthread_mutex_t lock;
    char pool[MAX_TOKENS];
    int free, total, held, peak;
    long reads, writes, refused, foreign, reclaimed, interrupted;
    struct proc *procs;
    struct handle *handles;
    struct pending *head, *tail;
    int queued;
    FILE *log;
    int wake;                  /* eventfd: tells the reaper about new pidfds, or to stop */
    int stopping;
} s = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = -1};

/* Set while fuse_req_interrupt_func may call back at once (session thread only): see on_interrupt. */
static int registering, interrupted_early;

static void event(const char *format, ...) {
    if (s.log == NULL) return;
    va_list args;
    va_start(args, format);
    vfprintf(s.log, format, args);
    va_end(args);
    fputc('\n', s.log);
    fflush(s.log);
}

static int status_line(char *buf, size_t size) {
    return snprintf(buf, size,
                    "free=%d held=%d peak=%d reads=%ld writes=%ld refused=%ld foreign=%ld reclaimed=%ld"
                    " interrupted=%ld pending=%d\n",
                    s.free, s.held, s.peak, s.reads, s.writes, s.refused, s.foreign, s.reclaimed,
                    s.interrupted, s.queued);
}

/* ---- tokens (all with s.lock held) ---- */

static void hand_out(struct proc *p, char token) {
    p->tokens[p->held++] = token;
    s.held++;
    s.reads++;
    if (s.held > s.peak) s.peak = s.held;
    event("read pid=%d byte=%c", p->tgid, token);
}

static char take_back(struct proc *p, int index) {
    char token = p->tokens[index];
    memmove(p->tokens + index, p->tokens + index + 1, (size_t)(p->held - index - 1));
    p->held--;
    s.held--;
    return token;
}

/* A token comes back: the oldest pending read gets it, else the pool, and pollers are woken. */
static void release_token(char token) {
    struct pending *first = s.head;
    if (first != NULL) {
        s.head = first->next;
        if (s.head == NULL) s.tail = NULL;
        s.queued--;
        hand_out(first->proc, token);
        fuse_reply_buf(first->req, &token, 1);
        free(first);
        return;
    }
    s.pool[s.free++] = token;
    for (struct handle *h = s.handles; h != NULL; h = h->next) {
        if (h->ph != NULL) {
            fuse_lowlevel_notify_poll(h->ph);
            fuse_pollhandle_destroy(h->ph);
            h->ph = NULL;
        }
    }
}

static void reclaim(struct proc *p, const char *why) {
    if (p->held > 0) event("reclaim pid=%d tokens=%d (%s)", p->tgid, p->held, why);
    while (p->held > 0) {
        char token = take_back(p, 0);
        s.reclaimed++;
        event("reclaim pid=%d byte=%c", p->tgid, token);
        release_token(token);
    }
}

static void forget_if_unused(struct proc *p) {
    if (!p->dead || p->refs > 0) return;
    reclaim(p, "its last handle closed after it exited");
    for (struct proc **at = &s.procs; *at != NULL; at = &(*at)->next) {
        if (*at == p) {
            *at = p->next;
            free(p);
            return;
        }
    }
}

/* ---- processes ---- */

/* The kernel names the calling thread; tokens belong to its process. */
static pid_t tgid_of(pid_t tid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
    FILE *f = fopen(path, "r");
    if (f == NULL) return tid;
    pid_t tgid = tid;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "Tgid:", 5) == 0) {
            tgid = (pid_t)atoi(line + 5);
            break;
        }
    }
    fclose(f);
    return tgid;
}

static struct proc *proc_of(pid_t tgid) {
    for (struct proc *p = s.procs; p != NULL; p = p->next) {
        if (p->tgid == tgid && !p->dead) return p;
    }
    struct proc *p = calloc(1, sizeof *p);
    if (p == NULL) return NULL;
    p->tgid = tgid;
    p->pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
    p->next = s.procs;
    s.procs = p;
    uint64_t one = 1;
    if (write(s.wake, &one, sizeof one) < 0) perror("tracking-jobserver: eventfd");
    return p;
}

/* The reaper: learns of exits through pidfds and takes a dead process's tokens back. */
static void *reaper(void *unused) {
    (void)unused;
    struct pollfd *fds = NULL;
    size_t capacity = 0;
    for (;;) {
        pthread_mutex_lock(&s.lock);
        if (s.stopping) {
            pthread_mutex_unlock(&s.lock);
            break;
        }
        size_t n = 1;
        for (struct proc *p = s.procs; p != NULL; p = p->next) n++;
        if (n > capacity) {
            capacity = n * 2;
            fds = realloc(fds, capacity * sizeof *fds);
            if (fds == NULL) abort();
        }
        fds[0] = (struct pollfd){.fd = s.wake, .events = POLLIN};
        n = 1;
        for (struct proc *p = s.procs; p != NULL; p = p->next) {
            if (p->pidfd >= 0) fds[n++] = (struct pollfd){.fd = p->pidfd, .events = POLLIN};
        }
        pthread_mutex_unlock(&s.lock);
        if (poll(fds, n, -1) < 0) continue;
        uint64_t count;
        if (fds[0].revents & POLLIN) {
            if (read(s.wake, &count, sizeof count) < 0) perror("tracking-jobserver: eventfd");
        }
        pthread_mutex_lock(&s.lock);
        for (size_t i = 1; i < n; i++) {
            if (fds[i].revents == 0) continue;
            /* only this thread closes pidfds, so the descriptor still names the same process */
            for (struct proc *p = s.procs; p != NULL; p = p->next) {
                if (p->pidfd != fds[i].fd) continue;
                close(p->pidfd);
                p->pidfd = -1;
                p->dead = 1;
                reclaim(p, "exited");
                forget_if_unused(p);
                break;
            }
        }
        pthread_mutex_unlock(&s.lock);
    }
    free(fds);
    return NULL;
}

/* ---- file system ---- */

static int attributes(fuse_ino_t ino, struct stat *st) {
    memset(st, 0, sizeof *st);
    st->st_ino = ino;
    st->st_nlink = 1;
    if (ino == ROOT_INO) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
    } else if (ino == JOBSERVER_INO) {
        st->st_mode = S_IFREG | 0666;
    } else if (ino == STATUS_INO) {
        st->st_mode = S_IFREG | 0444;
    } else {
        return ENOENT;
    }
    return 0;
}

static void on_lookup(fuse_req_t req, fuse_ino_t parent, const char *name) {
    struct fuse_entry_param e = {.attr_timeout = 1.0, .entry_timeout = 1.0};
    e.ino = parent != ROOT_INO                ? 0
            : strcmp(name, "jobserver") == 0 ? JOBSERVER_INO
            : strcmp(name, "status") == 0    ? STATUS_INO
                                             : 0;
    if (e.ino == 0) {
        fuse_reply_err(req, ENOENT);
        return;
    }
    attributes(e.ino, &e.attr);
    fuse_reply_entry(req, &e);
}

static void on_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
    (void)fi;
    struct stat st;
    int err = attributes(ino, &st);
    if (err != 0) {
        fuse_reply_err(req, err);
    } else {
        fuse_reply_attr(req, &st, 1.0);
    }
}

static void on_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
    (void)fi;
    if (ino != ROOT_INO) {
        fuse_reply_err(req, ENOTDIR);
        return;
    }
    static const char *const names[] = {".", "..", "jobserver", "status"};
    static const fuse_ino_t inos[] = {ROOT_INO, ROOT_INO, JOBSERVER_INO, STATUS_INO};
    char buf[512];
    size_t used = 0;
    for (off_t i = off; i < 4; i++) {
        struct stat st;
        attributes(inos[i], &st);
        size_t len = fuse_add_direntry(req, buf + used, sizeof buf - used, names[i], &st, i + 1);
        if (used + len > size || used + len > sizeof buf) break;
        used += len;
    }
    fuse_reply_buf(req, buf, used);
}

static void on_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
    /* direct_io: the kernel asks on every read whatever the size (0); nonseekable: a stream */
    fi->direct_io = 1;
    fi->nonseekable = 1;
    if (ino == STATUS_INO) {
        if ((fi->flags & O_ACCMODE) != O_RDONLY) {
            fuse_reply_err(req, EACCES);
            return;
        }
        char *line = malloc(256);
        if (line == NULL) {
            fuse_reply_err(req, ENOMEM);
            return;
        }
        pthread_mutex_lock(&s.lock);
        status_line(line, 256);
        pthread_mutex_unlock(&s.lock);
        fi->fh = (uint64_t)(uintptr_t)line; /* one snapshot per open: every read of it agrees */
        fuse_reply_open(req, fi);
        return;
    }
    if (ino != JOBSERVER_INO) {
        fuse_reply_err(req, EISDIR);
        return;
    }
    pid_t tgid = tgid_of(fuse_req_ctx(req)->pid);
    struct handle *h = calloc(1, sizeof *h);
    pthread_mutex_lock(&s.lock);
    struct proc *p = h == NULL ? NULL : proc_of(tgid);
    if (p == NULL) {
        pthread_mutex_unlock(&s.lock);
        free(h);
        fuse_reply_err(req, ENOMEM);
        return;
    }
    p->refs++;
    h->proc = p;
    h->next = s.handles;
    s.handles = h;
    pthread_mutex_unlock(&s.lock);
    fi->fh = (uint64_t)(uintptr_t)h;
    fuse_reply_open(req, fi);
}

static void on_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
    if (ino == STATUS_INO) {
        free((char *)(uintptr_t)fi->fh);
        fuse_reply_err(req, 0);
        return;
    }
    struct handle *h = (struct handle *)(uintptr_t)fi->fh;
    pthread_mutex_lock(&s.lock);
    for (struct handle **at = &s.handles; *at != NULL; at = &(*at)->next) {
        if (*at == h) {
            *at = h->next;
            break;
        }
    }
    if (h->ph != NULL) fuse_pollhandle_destroy(h->ph);
    /* a living process keeps its tokens when it closes its descriptors: only its exit returns them */
    h->proc->refs--;
    forget_if_unused(h->proc);
    pthread_mutex_unlock(&s.lock);
    free(h);
    fuse_reply_err(req, 0);
}

/*
 * An interrupted pending read is answered EINTR and forgotten. libfuse calls this at once from inside
 * fuse_req_interrupt_func when the interrupt came first, holding the request's lock: replying then
 * would free the request under libfuse's feet, so the read handler answers that case itself.
 */
static void on_interrupt(fuse_req_t req, void *unused) {
    (void)unused;
    if (registering) {
        interrupted_early = 1;
        return;
    }
    pthread_mutex_lock(&s.lock);
    struct pending *before = NULL;
    for (struct pending *q = s.head; q != NULL; before = q, q = q->next) {
        if (q->req != req) continue;
        if (before == NULL) s.head = q->next; else before->next = q->next;
        if (s.tail == q) s.tail = before;
        s.queued--;
        s.interrupted++;
        event("interrupt pid=%d", q->proc->tgid);
        free(q);
        fuse_reply_err(req, EINTR);
        break;
    }
    pthread_mutex_unlock(&s.lock);
}

static void on_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
    if (ino == STATUS_INO) {
        const char *line = (const char *)(uintptr_t)fi->fh;
        size_t len = strlen(line);
        size_t from = off < 0 || (size_t)off > len ? len : (size_t)off;
        fuse_reply_buf(req, line + from, len - from < size ? len - from : size);
        return;
    }
    struct handle *h = (struct handle *)(uintptr_t)fi->fh;
    if (size == 0) {
        fuse_reply_buf(req, NULL, 0);
        return;
    }
    pthread_mutex_lock(&s.lock);
    if (s.free > 0) {
        char token = s.pool[--s.free];
        hand_out(h->proc, token); /* one token per read, whatever size was asked */
        fuse_reply_buf(req, &token, 1);
    } else if (fi->flags & O_NONBLOCK) {
        fuse_reply_err(req, EAGAIN);
    } else {
        struct pending *q = calloc(1, sizeof *q);
        registering = 1;
        interrupted_early = 0;
        fuse_req_interrupt_func(req, on_interrupt, NULL);
        registering = 0;
        if (q == NULL) {
            fuse_reply_err(req, ENOMEM);
        } else if (interrupted_early) {
            s.interrupted++;
            event("interrupt pid=%d", h->proc->tgid);
            free(q);
            fuse_reply_err(req, EINTR);
        } else {
            q->req = req;
            q->proc = h->proc;
            if (s.tail == NULL) s.head = q; else s.tail->next = q;
            s.tail = q;
            s.queued++;
        }
    }
    pthread_mutex_unlock(&s.lock);
}

static void on_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
                     struct fuse_file_info *fi) {
    (void)off;
    if (ino != JOBSERVER_INO) {
        fuse_reply_err(req, EACCES);
        return;
    }
    struct proc *p = ((struct handle *)(uintptr_t)fi->fh)->proc;
    pthread_mutex_lock(&s.lock);
    if (p->held == 0) {
        s.refused++;
        event("refuse pid=%d byte=%c", p->tgid, size > 0 ? buf[0] : '?');
        pthread_mutex_unlock(&s.lock);
        fuse_reply_err(req, EPERM);
        return;
    }
    size_t n = size < (size_t)p->held ? size : (size_t)p->held; /* more than it holds: a short write */
    for (size_t i = 0; i < n; i++) {
        const char *own = memchr(p->tokens, buf[i], (size_t)p->held);
        if (own == NULL) {
            s.foreign++;
            event("foreign pid=%d byte=%c", p->tgid, buf[i]);
        }
        char token = take_back(p, own == NULL ? 0 : (int)(own - p->tokens));
        s.writes++;
        event("write pid=%d byte=%c", p->tgid, token);
        release_token(token);
    }
    pthread_mutex_unlock(&s.lock);
    fuse_reply_write(req, n);
}

static void on_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi, struct fuse_pollhandle *ph) {
    if (ino != JOBSERVER_INO) {
        if (ph != NULL) fuse_pollhandle_destroy(ph);
        fuse_reply_poll(req, POLLIN | POLLRDNORM);
        return;
    }
    struct handle *h = (struct handle *)(uintptr_t)fi->fh;
    pthread_mutex_lock(&s.lock);
    unsigned revents = POLLOUT | POLLWRNORM;
    if (s.free > 0) revents |= POLLIN | POLLRDNORM;
    if (ph != NULL) {
        /* the kernel waits on this file until notified: keep the newest handle, notify it on release */
        if (h->ph != NULL) fuse_pollhandle_destroy(h->ph);
        h->ph = ph;
        if (s.free == 0) event("poll pid=%d wait", h->proc->tgid);
    }
    pthread_mutex_unlock(&s.lock);
    fuse_reply_poll(req, revents);
}

static const struct fuse_lowlevel_ops ops = {
    .lookup = on_lookup,
    .getattr = on_getattr,
    .readdir = on_readdir,
    .open = on_open,
    .release = on_release,
    .read = on_read,
    .write = on_write,
    .poll = on_poll,
};

static int usage(void) {
    fprintf(stderr, "usage: tracking-jobserver [--log FILE] MOUNTPOINT TOKENS (1..%d)\n", MAX_TOKENS);
    return 2;
}

int main(int argc, char *argv[]) {
    int a = 1;
    if (argc > 2 && strcmp(argv[1], "--log") == 0) {
        s.log = fopen(argv[2], "a");
        if (s.log == NULL) {
            perror(argv[2]);
            return 1;
        }
        a = 3;
    }
    if (argc - a != 2) return usage();
    const char *mountpoint = argv[a];
    s.total = atoi(argv[a + 1]);
    if (s.total < 1 || s.total > MAX_TOKENS) return usage();
    for (int i = 0; i < s.total; i++) s.pool[i] = ALPHABET[s.total - 1 - i]; /* 'a' is read first */
    s.free = s.total;

    s.wake = eventfd(0, EFD_CLOEXEC);
    /* type fuse.tracking-jobserver in /proc/self/mountinfo; root's mount is for every user, as a system
     * jobserver's is (a user's own mount through fusermount3 may not ask for that) */
    char *fuse_argv[] = {argv[0], "-o", "fsname=tracking-jobserver,subtype=tracking-jobserver", "-o", "allow_other"};
    struct fuse_args args = FUSE_ARGS_INIT(geteuid() == 0 ? 5 : 3, fuse_argv);
    struct fuse_session *se = fuse_session_new(&args, &ops, sizeof ops, NULL);
    if (s.wake < 0 || se == NULL) return 1;
    if (fuse_set_signal_handlers(se) != 0 || fuse_session_mount(se, mountpoint) != 0) {
        fuse_session_destroy(se);
        return 1;
    }
    pthread_t thread;
    if (pthread_create(&thread, NULL, reaper, NULL) != 0) {
        fuse_session_unmount(se);
        fuse_session_destroy(se);
        return 1;
    }
    printf("ready\n");
    fflush(stdout);

    int err = fuse_session_loop(se); /* single-threaded; the reaper is the other thread */

    pthread_mutex_lock(&s.lock);
    s.stopping = 1;
    pthread_mutex_unlock(&s.lock);
    uint64_t one = 1;
    if (write(s.wake, &one, sizeof one) < 0) perror("tracking-jobserver: eventfd");
    pthread_join(thread, NULL);
    fuse_session_unmount(se);
    fuse_remove_signal_handlers(se);
    fuse_session_destroy(se);

    char line[256];
    status_line(line, sizeof line);
    fputs(line, stdout);
    fflush(stdout);
    event("exit %s", line);
    return err < 0 ? 1 : 0;
}
