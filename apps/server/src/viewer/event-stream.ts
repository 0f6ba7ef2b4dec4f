/**
 * Server-sent events (HTML Living Standard §9.2): the reply is taken over from Fastify, events
 * are written as `event:`/`data:` lines, a comment every 15 s keeps proxies and SSH tunnels from
 * closing an idle stream, and the stream ends when the client goes or the viewer closes.
 */
import type { FastifyReply, FastifyRequest } from "fastify";

export interface EventStream {
  send(event: string, data: unknown): void;
  /** Called once when the stream ends, whoever ends it. */
  onClose(fn: () => void): void;
  close(): void;
}

export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  streams: Set<() => void>,
): EventStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no",
    "x-content-type-options": "nosniff",
  });
  res.write(": meridian\n\n");
  const closers: (() => void)[] = [];
  let closed = false;
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  heartbeat.unref();
  function close(): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    streams.delete(close);
    for (const fn of closers) fn();
    res.end();
  }
  streams.add(close);
  request.raw.on("close", close);
  return {
    send(event, data) {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose(fn) {
      closers.push(fn);
    },
    close,
  };
}
