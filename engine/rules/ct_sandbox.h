/* A sandboxed Lua 5.4 state for one rules file: the libraries a rule may
 * use (from an allow-list), the limits (an instruction budget and a time
 * limit per outermost call, a memory cap per state) and protected calls.
 *
 * The budget and the clock belong to the outermost call in progress, shared
 * by every state of a set of rules (ct_sandbox_run): a call made while
 * another runs (a rule reading a kind: lua indicator) spends the same
 * budget and cannot reset it. Work done inside C functions is charged
 * before it runs (string.rep, table.move, patterns, ...), so that no single
 * call escapes the limits. Once a limit is hit, the stop cannot be caught:
 * neither pcall, xpcall nor a coroutine swallows it. */
#ifndef CT_SANDBOX_H
#define CT_SANDBOX_H

#include <lua.h>
#include <stddef.h>
#include <time.h>

/* The limits, and the state of the outermost call in progress. */
typedef struct {
    long long instructions;   /* per outermost call */
    double seconds;           /* per outermost call, wall clock */
    size_t memory;            /* per state, bytes */
    long long budget_left;
    long long budget;         /* the outermost call's whole budget (a batch's is larger) */
    double call_secs;         /* and its time limit */
    struct timespec deadline;
    int deadline_set;         /* the clock is read when a call first needs it */
    int depth;                /* protected calls in progress */
    int tripped;              /* a limit was hit: every state stops */
    char trip_msg[1200];
} ct_sandbox_run;

typedef struct {
    lua_State *L;
    ct_sandbox_run *run;
    void *user;               /* the owner's data for this state */
    const char *chunk;        /* the name Lua knows the file by */
    size_t mem_used, mem_cap;
    int in_call;              /* a protected call of this state is running */
    int rehook;               /* the hook fires every instruction since a trip */
    int batch;                /* calls in the current protected call (limits scale with it) */
} ct_sandbox;

/* A batch of n calls (a kind: lua indicator over many units) may use the
 * per-call limits plus this much for each further call, up to
 * CT_SANDBOX_BATCH_MAX times the per-call limits: a runaway call in a large
 * batch is stopped in bounded time. */
#define CT_SANDBOX_BATCH_INSTRUCTIONS 100000LL
#define CT_SANDBOX_BATCH_SECONDS 0.0005
#define CT_SANDBOX_BATCH_MAX 10

/* Opens sb's state with the allowed libraries and the cost guards; sb->run,
 * sb->user and sb->chunk must be set. Returns 0, or -1 (out of memory). */
int ct_sandbox_open(ct_sandbox *sb);
/* Closes the state (finalizers run under the limits). */
void ct_sandbox_close(ct_sandbox *sb);

/* The sandbox of a state. */
ct_sandbox *ct_sandbox_of(lua_State *L);

/* Pushes a new environment table built from the allow-list: base functions,
 * string, table, math, utf8, coroutine, os.time/date/clock, a text-only load
 * in that environment, collectgarbage("count"), guarded pcall, xpcall and
 * setmetatable, and _G (the environment itself). */
void ct_sandbox_push_env(lua_State *L);

/* Charges cost instructions to the running call before work done in C;
 * raises the stop (never returns) when the budget or the time is spent. */
void ct_sandbox_charge(lua_State *L, double cost, const char *what);

/* Copies len bytes of a rule's text into out (size bytes, NUL-terminated,
 * cut if need be) with the control characters escaped (\n, \t, \r, \xHH;
 * C1 controls \u0080-\u009F), so that what a rule prints
 * can neither start a line of its own nor drive a terminal. Returns the
 * length written. */
size_t ct_sandbox_escape(const char *in, size_t len, char *out, size_t size);

/* Pushes a function and its arguments; returns the number of arguments. Runs
 * inside the protected call, so that running out of memory while building
 * the arguments is an error of the call, not an abort. */
typedef int (*ct_sandbox_push_fn)(lua_State *L, void *ctx);

/* Calls what push pushes under the limits, leaving nresults values. On
 * failure leaves nothing, returns -1 and writes the message (the script's
 * line split out into *line when the message starts with "CHUNK:LINE:";
 * else the first line of the function in registry slot fn_ref, or 0). */
int ct_sandbox_call(ct_sandbox *sb, ct_sandbox_push_fn push, void *ctx, int nresults, int fn_ref, char *msg,
                    size_t msg_size, int *line);

/* Loads src as a text chunk named "@chunk", its _ENV set to a new
 * environment (ct_sandbox_push_env; the owner adds to it with add), and runs
 * it under the limits. Returns 0 and the environment's registry ref in
 * *env_ref, or -1 with the message and line. Binary chunks are refused. */
int ct_sandbox_load(ct_sandbox *sb, const char *src, size_t len, void (*add)(lua_State *L, void *ctx), void *ctx,
                    int *env_ref, char *msg, size_t msg_size, int *line);

#endif
