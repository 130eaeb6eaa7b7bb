#!/usr/bin/env python3
"""A console stand-in for control_stats_bench.sh: attaches to the control socket as the console
does (hello, stats.history, stats.subscribe), then reads and parses every stats event until killed.
Usage: stats_subscriber.py SOCKET [COUNT_FILE]: COUNT_FILE gets the number of events seen, rewritten
after each one (the benchmark checks that the subscriber really received snapshots)."""
import json
import socket
import sys


def main() -> int:
    path = sys.argv[1]
    count_file = sys.argv[2] if len(sys.argv) > 2 else None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    for i, method in enumerate(("hello", "stats.history", "stats.subscribe"), start=1):
        sock.sendall(json.dumps({"id": i, "method": method}).encode() + b"\n")
    events = 0
    buffered = b""
    while True:
        chunk = sock.recv(1 << 16)
        if not chunk:
            return 0
        buffered += chunk
        *lines, buffered = buffered.split(b"\n")
        for line in lines:
            message = json.loads(line)
            if "error" in message:
                print(f"stats_subscriber: {message['error']}", file=sys.stderr)
                return 1
            if message.get("event") == "stats":
                events += 1
                if count_file:
                    with open(count_file, "w") as f:
                        f.write(f"{events}\n")


if __name__ == "__main__":
    sys.exit(main())
