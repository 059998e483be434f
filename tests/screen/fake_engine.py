#!/usr/bin/env python3
"""fake_engine.py: plays linkis_story.py over an engine socket, for driving the real UI in tmux.

    fake_engine.py SOCKET [--flood N] [--role watch] [--record FILE] [--speed X] [--hold] [--auto]

Listens on SOCKET (as the engine does at STATE/runs/RUN-ID/engine.sock, so `upwiz attach RUN-ID`
finds it), accepts one client, and sends the story's events as JSON lines. At every `answered`
event it waits for the client's {"t":"answer"} with that qid and sends `answered` with the value
it got. {"t":"cmd","cmd":"abort"} ends the story with `finished` (aborted); "quit" ends the
session. Everything the client sends is appended to --record (one JSON line each) for the test
to check. --hold keeps the socket open after the story, like an engine waiting for its clients.
"""
import argparse
import json
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linkis_story  # noqa: E402


class Client:
    def __init__(self, conn, record):
        self.conn = conn
        self.buf = b""
        self.record = record
        self.closed = False

    def send(self, ev):
        data = (json.dumps(ev, ensure_ascii=False) + "\n").encode()
        try:
            self.conn.sendall(data)
        except OSError:
            self.closed = True

    def poll(self, timeout):
        """Reads what is there within timeout; returns the messages."""
        out = []
        if self.closed:
            time.sleep(timeout)
            return out
        r, _, _ = select.select([self.conn], [], [], timeout)
        if r:
            try:
                chunk = self.conn.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                self.closed = True
                return out
            self.buf += chunk
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                if not line.strip():
                    continue
                msg = json.loads(line)
                if self.record:
                    with open(self.record, "a") as f:
                        f.write(json.dumps(msg, ensure_ascii=False) + "\n")
                out.append(msg)
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("socket")
    ap.add_argument("--flood", type=int, default=0)
    ap.add_argument("--role", default="control")
    ap.add_argument("--record")
    ap.add_argument("--speed", type=float, default=1.0)
    ap.add_argument("--hold", action="store_true")
    ap.add_argument("--auto", action="store_true", help="answer every question with the story's value")
    ap.add_argument("--extra", action="store_true", help="ask resume, text, secret and confirm first")
    a = ap.parse_args()

    try:
        os.unlink(a.socket)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(a.socket)
    os.chmod(a.socket, 0o600)
    srv.listen(1)
    conn, _ = srv.accept()
    c = Client(conn, a.record)
    pending = []        # messages read while not waiting for them

    def handle_cmds(msgs):
        for m in msgs:
            if m.get("t") == "cmd" and m.get("cmd") == "quit":
                return "quit"
            if m.get("t") == "cmd" and m.get("cmd") == "abort":
                return "abort"
            if m.get("t") == "answer":
                pending.append(m)
        return None

    state = None
    for ev in linkis_story.story(a.flood, a.extra):
        if c.closed:
            return
        t = ev.get("t")
        if t == "hello":
            # The run id is the folder the socket is in, as `upwiz attach RUN-ID` expects.
            run = os.path.basename(os.path.dirname(os.path.abspath(a.socket)))
            ev = dict(ev, role=a.role, started=time.time() - 5, run=run)
        if t == "_sleep":
            state = handle_cmds(c.poll(ev["s"] / a.speed))
        elif t == "answered" and a.auto:
            c.send(ev)
        elif t == "answered":
            # Wait for the answer to this question.
            got = None
            while got is None and state is None and not c.closed:
                for m in list(pending):
                    if m.get("qid") == ev["qid"]:
                        got = m
                        pending.remove(m)
                if got is None:
                    state = handle_cmds(c.poll(0.5))
            if got is not None:
                c.send(dict(ev, value=got.get("value", "")))
                if got.get("value") == "abort":
                    state = "abort"
        else:
            c.send(ev)
            if t != "log" or ev is None:
                state = handle_cmds(c.poll(0))
        if state == "quit":
            return
        if state == "abort":
            c.send({"t": "log", "level": "warn", "step": "", "text": "aborted by the operator"})
            c.send({"t": "finished", "outcome": "aborted", "exit": 1,
                    "summary": "The run was aborted by the operator.\nBackups: none were needed yet."})
            break
    # Stay until the client leaves.
    while not c.closed:
        if handle_cmds(c.poll(1.0)) == "quit" and not a.hold:
            break


if __name__ == "__main__":
    main()
