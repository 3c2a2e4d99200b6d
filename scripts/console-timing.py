#!/usr/bin/env python3
"""Time `cati console` in a pseudo-terminal (100x30): start to first screen,
the claim, keystroke to redraw on a question screen, Enter to the next
question, peak RSS. Run from a directory whose cati.ini/$CATI_CONFIG points
at a database with the ServE survey and an interviewer 'pema' (see
scripts/bench-console). Usage: console-timing.py CATI_BIN [RUNS]"""
import os, pty, sys, time, select, struct, fcntl, termios, resource, statistics

def spawn(cmd, env):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(cmd[0], cmd, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 30, 100, 0, 0))
    return pid, fd

def read_until(fd, needle, timeout=30):
    buf = b''; t0 = time.perf_counter()
    while needle not in buf:
        r, _, _ = select.select([fd], [], [], timeout)
        if not r: raise SystemExit('timeout waiting for %r; got %r' % (needle, buf[-300:]))
        buf += os.read(fd, 65536)
    return time.perf_counter() - t0, buf

def drain(fd, quiet=0.05):
    """read until the output stays quiet; returns time of the last byte"""
    t0 = time.perf_counter(); last = t0
    while True:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r: return last - t0
        os.read(fd, 65536); last = time.perf_counter()

cati = sys.argv[1]; runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
env = dict(os.environ, TERM='xterm-256color', LC_ALL='C.UTF-8', CATI_USER='pema')
env.setdefault('CATI_NOW', '2026-11-24 10:00')
starts, claims, keys, enters, rss = [], [], [], [], []
def reset():
    """give the case back and forget the interview, so each run starts alike"""
    os.system('sqlite3 cati.db "DELETE FROM answer_log; DELETE FROM flags; DELETE FROM answers;'
              ' DELETE FROM interviews; UPDATE cases SET claimed_by = NULL, lease_until = NULL,'
              ' claimed_at = NULL WHERE claimed_by IS NOT NULL"')

reset()
for i in range(runs):
    t0 = time.perf_counter()
    pid, fd = spawn([cati, 'console'], env)
    read_until(fd, b'Next case')
    starts.append(time.perf_counter() - t0)
    drain(fd)
    t1 = time.perf_counter(); os.write(fd, b'n'); read_until(fd, b'dial this'); claims.append(time.perf_counter() - t1)
    drain(fd)
    os.write(fd, b'\r'); read_until(fd, b'may I speak'); drain(fd)
    os.write(fd, b'1\r'); read_until(fd, b'Did you receive'); drain(fd)
    os.write(fd, b'1\r'); read_until(fd, b'May we begin'); drain(fd)
    os.write(fd, b'1\r'); read_until(fd, b'very difficult and 5'); drain(fd)
    for k in (b'\x1bOB', b'\x1bOB', b'\x1bOA', b'\x7f', b'3', b'\x7f', b'4'):  # Down Down Up BS 3 BS 4
        t2 = time.perf_counter(); os.write(fd, k)
        r, _, _ = select.select([fd], [], [], 5)
        first = time.perf_counter() - t2
        keys.append(first + drain(fd, 0.02))
    t3 = time.perf_counter(); os.write(fd, b'\r'); read_until(fd, b'How clear'); enters.append(time.perf_counter() - t3)
    drain(fd)
    os.kill(pid, 15)
    _, status, ru = os.wait4(pid, 0)
    rss.append(ru.ru_maxrss)
    os.close(fd)
    reset()
def ms(v): return '%.1f ms' % (1000 * v)
print('start to first screen: median %s (min %s, max %s)' % (ms(statistics.median(starts)), ms(min(starts)), ms(max(starts))))
print('n to case screen (claim): median %s' % ms(statistics.median(claims)))
print('keystroke to redraw done: median %s, max %s (%d keys)' % (ms(statistics.median(keys)), ms(max(keys)), len(keys)))
print('Enter to next question (answer committed): median %s' % ms(statistics.median(enters)))
print('peak RSS: %d KiB' % max(rss))
