/* The gnuplot process driver: a batch of scripts through a few gnuplot
 * processes, each message given to the chart it belongs to. */
#include "ct_gnuplot.h"

#include "../core/ct_tmpfile.h"

#include <ctype.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the driver ----------------------------------------------------------------------- */

enum { PIPELINE = 2, ANSWER_TIMEOUT_MS = 120000, MAX_DEATHS = 3 };

typedef struct {
    pid_t pid;
    int in_fd, err_fd;
    size_t q[PIPELINE];
    int nq;
    ct_plot_buf w;       /* bytes still to write to stdin */
    size_t woff;
    ct_plot_buf e;       /* stderr text since the last marker */
    int had_error;
    int alive;
} gp_worker;

static const char *gnuplot_program(const ct_plot_run_opts *o)
{
    if (o && o->gnuplot && o->gnuplot[0]) return o->gnuplot;
    const char *env = getenv("CHITIEU_GNUPLOT");
    return env && env[0] ? env : "gnuplot";
}

/* Starts gnuplot: 0, or -1 with errno's text in msg. */
static int spawn(const char *prog, gp_worker *w, char *msg, size_t size)
{
    int in[2], err[2], st[2];
    if (pipe(in)) { snprintf(msg, size, "pipe: %s", strerror(errno)); return -1; }
    if (pipe(err)) { snprintf(msg, size, "pipe: %s", strerror(errno)); close(in[0]); close(in[1]); return -1; }
    if (pipe(st)) {
        snprintf(msg, size, "pipe: %s", strerror(errno));
        close(in[0]); close(in[1]); close(err[0]); close(err[1]);
        return -1;
    }
    fcntl(st[1], F_SETFD, FD_CLOEXEC);
    fcntl(in[1], F_SETFD, FD_CLOEXEC);
    fcntl(err[0], F_SETFD, FD_CLOEXEC);
    fcntl(st[0], F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(msg, size, "fork: %s", strerror(errno));
        close(in[0]); close(in[1]); close(err[0]); close(err[1]); close(st[0]); close(st[1]);
        return -1;
    }
    if (pid == 0) {
        /* a group of its own, which chitieu's signal handler ends whole
         * (ct_tmpfile_watch_child); and ended by the kernel when chitieu
         * dies of a signal no handler sees (SIGKILL) */
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() == 1) _exit(127);
        dup2(in[0], 0);
        dup2(err[1], 1);
        dup2(err[1], 2);
        close(in[0]);
        close(err[1]);
        char *argv[] = {(char *)prog, NULL};
        execvp(prog, argv);
        int e = errno;
        if (write(st[1], &e, sizeof e) < 0) _exit(127);
        _exit(127);
    }
    setpgid(pid, pid); /* also here: no window before the child's own call */
    ct_tmpfile_watch_child(pid);
    close(in[0]);
    close(err[1]);
    close(st[1]);
    int e = 0;
    ssize_t r;
    do r = read(st[0], &e, sizeof e);
    while (r < 0 && errno == EINTR);
    close(st[0]);
    if (r > 0) {
        snprintf(msg, size, "cannot run '%s': %s", prog, strerror(e));
        close(in[1]);
        close(err[0]);
        waitpid(pid, NULL, 0);
        ct_tmpfile_forget_child(pid);
        return -1;
    }
    fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
    /* keep the buffers of a worker started again */
    w->nq = 0;
    w->woff = w->w.len = w->e.len = 0;
    w->had_error = 0;
    w->pid = pid;
    w->in_fd = in[1];
    w->err_fd = err[0];
    w->alive = 1;
    return 0;
}

/* gnuplot's text made one line: trimmed lines joined with " | ", blank and
 * caret-only lines dropped. */
static void one_line(const char *text, ct_plot_buf *out)
{
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        const char *a = p, *z = e;
        while (a < z && isspace((unsigned char)*a)) a++;
        while (z > a && isspace((unsigned char)z[-1])) z--;
        int caret = z - a == 1 && *a == '^';
        if (z > a && !caret) {
            if (out->len) ct_plot_buf_puts(out, " | ");
            ct_plot_buf_put(out, a, (size_t)(z - a));
        }
        p = *e ? e + 1 : e;
    }
    if (!out->s) ct_plot_buf_put(out, "", 0);
}

static int has_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i])) return 1;
    return 0;
}

static void chart_error(ct_plot_job *j, const char *text, size_t n, const char *extra, ct_diags *d)
{
    ct_plot_buf t = {0}, line = {0};
    ct_plot_buf_put(&t, text, n);
    one_line(t.s ? t.s : "", &line);
    if (extra) {
        if (line.len) ct_plot_buf_puts(&line, " | ");
        ct_plot_buf_puts(&line, extra);
    }
    ct_error_at(d, j->gp_path, 0, 0, "gnuplot: %s", line.s ? line.s : "");
    j->failed = 1;
    ct_plot_buf_free(&t);
    ct_plot_buf_free(&line);
}

static void exit_text(int status, char *buf, size_t size)
{
    if (WIFEXITED(status)) snprintf(buf, size, "gnuplot exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) snprintf(buf, size, "gnuplot was killed by signal %d", WTERMSIG(status));
    else snprintf(buf, size, "gnuplot ended abnormally");
}

/* Keeps gnuplot's messages for one chart within 64 KiB: past that, the
 * middle is dropped (the start says what went wrong; the end may hold the
 * beginning of the next marker). */
static void bound_stderr(gp_worker *w)
{
    enum { KEEP = 64 << 10, HEAD = 32 << 10, TAIL = 4 << 10 };
    if (w->e.len <= KEEP) return;
    static const char note[] = "\n[... gnuplot messages dropped ...]\n";
    size_t nl = sizeof note - 1, drop_to = w->e.len - TAIL;
    memcpy(w->e.s + HEAD, note, nl);
    memmove(w->e.s + HEAD + nl, w->e.s + drop_to, TAIL);
    w->e.len = HEAD + nl + TAIL;
    w->e.s[w->e.len] = '\0';
}

/* Consumes complete markers from w->e: each ends the chart at the head of the
 * queue. Returns the number of charts finished. */
static size_t take_markers(gp_worker *w, ct_plot_job *jobs, ct_diags *d)
{
    static const char mark[] = "CHITIEU-END ";
    size_t finished = 0;
    for (;;) {
        if (!w->e.s || w->nq == 0) break;
        char *m = NULL;
        for (char *p = w->e.s; (p = strstr(p, mark)) != NULL; p++)
            if (p == w->e.s || p[-1] == '\n') { m = p; break; }
        if (!m) break;
        char *eol = strchr(m, '\n');
        if (!eol) break;   /* the marker line is not complete yet */
        size_t job = w->q[0];
        if (has_text(w->e.s, (size_t)(m - w->e.s))) {
            chart_error(&jobs[job], w->e.s, (size_t)(m - w->e.s), NULL, d);
            w->had_error = 1;
        }
        size_t rest = w->e.len - (size_t)(eol + 1 - w->e.s);
        memmove(w->e.s, eol + 1, rest);
        w->e.len = rest;
        w->e.s[rest] = '\0';
        memmove(w->q, w->q + 1, (size_t)(w->nq - 1) * sizeof *w->q);
        w->nq--;
        finished++;
    }
    return finished;
}

static void close_worker(gp_worker *w, int *status)
{
    if (w->in_fd >= 0) close(w->in_fd);
    if (w->err_fd >= 0) close(w->err_fd);
    w->in_fd = w->err_fd = -1;
    int stv = 0;
    while (waitpid(w->pid, &stv, 0) < 0 && errno == EINTR) {}
    ct_tmpfile_forget_child(w->pid);
    if (status) *status = stv;
    w->alive = 0;
}

ct_status ct_plot_run(ct_plot_job *jobs, size_t n, const ct_plot_run_opts *opts, ct_diags *d)
{
    if (n == 0) return CT_OK;
    const char *prog = gnuplot_program(opts);
    int nw = opts && opts->workers > 0 ? opts->workers : 2;
    if ((size_t)nw > n) nw = (int)n;
    gp_worker *ws = calloc((size_t)nw, sizeof *ws);
    size_t *todo = malloc(n * sizeof *todo);
    if (!ws || !todo) { free(ws); free(todo); return CT_ENOMEM; }
    struct sigaction ign, old;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old);
    for (size_t i = 0; i < n; i++) { todo[i] = i; jobs[i].failed = 0; }
    size_t head = 0, count = n;   /* circular queue of jobs to send */
    size_t done = 0, failed = 0;
    int deaths = 0;
    ct_status result = CT_OK;
    char msg[512];
    for (int i = 0; i < nw; i++) {
        ws[i].in_fd = ws[i].err_fd = -1;
        if (spawn(prog, &ws[i], msg, sizeof msg)) {
            ct_error_at(d, NULL, 0, 0, "gnuplot: %s (install gnuplot, or set CHITIEU_GNUPLOT to its path)", msg);
            for (int k = 0; k < i; k++) close_worker(&ws[k], NULL);
            for (size_t k = 0; k < n; k++) jobs[k].failed = 1;
            result = CT_EUNSUPPORTED;
            goto out;
        }
    }
    while (done < n) {
        /* feed idle workers */
        for (int i = 0; i < nw; i++) {
            gp_worker *w = &ws[i];
            while (w->alive && w->nq < PIPELINE && count > 0) {
                size_t j = todo[head];
                head = (head + 1) % n;
                count--;
                if (w->woff == w->w.len) { w->w.len = 0; w->woff = 0; }
                ct_plot_buf_puts(&w->w, "cd ");
                ct_plot_gp_string(&w->w, jobs[j].dir);
                ct_plot_buf_puts(&w->w, "\n");
                ct_plot_buf_puts(&w->w, jobs[j].script);
                ct_plot_buf_printf(&w->w, "\nprinterr \"\\nCHITIEU-END %zu\"\n", j); /* on a line of its own */
                if (w->w.oom) { result = CT_ENOMEM; goto stop; }
                w->q[w->nq++] = j;
            }
        }
        struct pollfd pf[64];
        int owner[64], nf = 0;
        for (int i = 0; i < nw && nf + 2 <= 64; i++) {
            gp_worker *w = &ws[i];
            if (!w->alive) continue;
            pf[nf] = (struct pollfd){w->err_fd, POLLIN, 0};
            owner[nf++] = i;
            if (w->woff < w->w.len && w->in_fd >= 0) {
                pf[nf] = (struct pollfd){w->in_fd, POLLOUT, 0};
                owner[nf++] = i;
            }
        }
        if (nf == 0) break;
        int pr = poll(pf, (nfds_t)nf, ANSWER_TIMEOUT_MS);
        if (pr < 0) {
            if (errno == EINTR) continue;
            ct_error_at(d, NULL, 0, 0, "gnuplot: poll: %s", strerror(errno));
            result = CT_EIO;
            goto stop;
        }
        if (pr == 0) {
            for (int i = 0; i < nw; i++)
                if (ws[i].alive && ws[i].nq > 0) {
                    chart_error(&jobs[ws[i].q[0]], "", 0, "no answer from gnuplot within 120 s", d);
                    kill(ws[i].pid, SIGKILL);
                }
            result = CT_EIO;
            goto stop;
        }
        for (int k = 0; k < nf; k++) {
            gp_worker *w = &ws[owner[k]];
            if (!w->alive || !pf[k].revents) continue;
            if (pf[k].fd == w->in_fd) {
                if (pf[k].revents & (POLLERR | POLLHUP)) { close(w->in_fd); w->in_fd = -1; w->woff = w->w.len; continue; }
                ssize_t r = write(w->in_fd, w->w.s + w->woff, w->w.len - w->woff);
                if (r > 0) w->woff += (size_t)r;
                else if (r < 0 && errno != EAGAIN && errno != EINTR) {
                    close(w->in_fd);    /* gnuplot has gone: its stderr will end too */
                    w->in_fd = -1;
                    w->woff = w->w.len;
                }
                continue;
            }
            char buf[65536];
            ssize_t r = read(w->err_fd, buf, sizeof buf);
            if (r < 0 && errno == EINTR) continue;
            if (r > 0) {
                ct_plot_buf_put(&w->e, buf, (size_t)r);
                size_t f = take_markers(w, jobs, d);
                bound_stderr(w);
                done += f;
                if (f) deaths = 0;
                if (f && opts && opts->progress) opts->progress(done, n, opts->progress_ctx);
                continue;
            }
            /* end of stderr: gnuplot exited */
            int status = 0;
            close_worker(w, &status);
            exit_text(status, msg, sizeof msg);
            if (w->nq > 0) {
                chart_error(&jobs[w->q[0]], w->e.s ? w->e.s : "", w->e.len, msg, d);
                done++;
                for (int q = 1; q < w->nq; q++) {   /* never run: send again */
                    head = (head + n - 1) % n;
                    todo[head] = w->q[q];
                    count++;
                }
                w->nq = 0;
            } else if (has_text(w->e.s ? w->e.s : "", w->e.len) || status != 0) {
                chart_error(&(ct_plot_job){NULL, NULL, NULL, 0}, w->e.s ? w->e.s : "", w->e.len, msg, d);
            }
            w->e.len = 0;
            w->w.len = w->woff = 0;
            if (opts && opts->progress) opts->progress(done, n, opts->progress_ctx);
            if (++deaths >= MAX_DEATHS) {
                ct_error_at(d, NULL, 0, 0, "gnuplot ('%s') keeps exiting: %zu chart(s) not rendered", prog, n - done);
                result = CT_EIO;
                goto stop;
            }
            if (count > 0 && spawn(prog, w, msg, sizeof msg)) {
                ct_error_at(d, NULL, 0, 0, "gnuplot: %s", msg);
                result = CT_EIO;
                goto stop;
            }
        }
    }
stop:
    for (int i = 0; i < nw; i++) {
        gp_worker *w = &ws[i];
        if (!w->alive) continue;
        if (w->in_fd >= 0) {   /* finish pending writes, then let gnuplot end */
            fcntl(w->in_fd, F_SETFL, fcntl(w->in_fd, F_GETFL) & ~O_NONBLOCK);
            if (result == CT_OK) {
                while (w->woff < w->w.len) {
                    ssize_t r = write(w->in_fd, w->w.s + w->woff, w->w.len - w->woff);
                    if (r <= 0) break;
                    w->woff += (size_t)r;
                }
            }
            close(w->in_fd);
            w->in_fd = -1;
        }
        char buf[4096];
        ssize_t r;
        while ((r = read(w->err_fd, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR))
            if (r > 0) {
                ct_plot_buf_put(&w->e, buf, (size_t)r);
                done += take_markers(w, jobs, d);
                bound_stderr(w);
            }
        done += take_markers(w, jobs, d);
        int status = 0;
        close_worker(w, &status);
        for (int q = 0; q < w->nq; q++) {
            if (q == 0 && has_text(w->e.s ? w->e.s : "", w->e.len)) chart_error(&jobs[w->q[0]], w->e.s, w->e.len, NULL, d);
            else chart_error(&jobs[w->q[q]], "", 0, "not rendered", d);
            w->had_error = 1;
        }
        w->nq = 0;
        if (status != 0 && !w->had_error) {
            exit_text(status, msg, sizeof msg);
            ct_error_at(d, NULL, 0, 0, "%s", msg);
            if (result == CT_OK) result = CT_EIO;
        }
    }
    /* jobs never sent */
    while (count > 0) {
        jobs[todo[head]].failed = 1;
        head = (head + 1) % n;
        count--;
    }
out:
    for (size_t i = 0; i < n; i++)
        if (jobs[i].failed) failed++;
    if (failed && result == CT_OK) result = CT_EIO;
    for (int i = 0; i < nw; i++) {
        ct_plot_buf_free(&ws[i].w);
        ct_plot_buf_free(&ws[i].e);
    }
    sigaction(SIGPIPE, &old, NULL);
    free(ws);
    free(todo);
    return result;
}

