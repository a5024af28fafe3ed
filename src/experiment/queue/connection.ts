// Where Redis is: a --redis URL checked as input (redis://[user:password@]host[:port][/db], or
// rediss:// for TLS), the connection options BullMQ gets, and a first connection that says clearly
// when Redis cannot be reached, before a sweep opens its journal or a worker starts waiting.

import type { RedisOptions as QueueConnection } from 'bullmq';
import { Redis } from 'ioredis';
import { InputError } from '../../sim/inputError.js';

/** A --redis URL that is malformed, or a Redis that cannot be reached or used. */
export class RedisConnectionError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'RedisConnectionError';
  }
}

export interface RedisTarget {
  /** The URL as given, its password masked: for messages. */
  readonly label: string;
  /** Where the server is and how to log in: options of an ioredis client. */
  readonly options: RedisAddress;
}

export interface RedisAddress {
  readonly host: string;
  readonly port: number;
  readonly db?: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: { readonly servername: string };
}

/** BullMQ needs Redis 5 at least (streams). */
const MIN_MAJOR = 5;

const EXPECTED = 'a Redis URL such as redis://host:6379 (redis://[user:password@]host[:port][/db], or rediss:// for TLS)';

export function parseRedisUrl(text: string, option = '--redis'): RedisTarget {
  const bad = (why: string) => new RedisConnectionError(`${option}: expected ${EXPECTED}, found "${text}"${why === '' ? '' : ` (${why})`}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw bad(`the scheme is "${url.protocol.replace(/:$/, '')}"`);
  if (url.hostname === '') throw bad('no host');
  const port = url.port === '' ? 6379 : Number(url.port);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d+$/.test(path)) throw bad(`the database "${path}" is not a number`);
  if (url.search !== '' || url.hash !== '') throw bad('it has a query or a fragment');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: RedisAddress = {
    host,
    port,
    ...(path === '' ? {} : { db: Number(path) }),
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(url.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
  };
  const masked = new URL(text);
  if (masked.password !== '') masked.password = '***';
  return { label: masked.href.replace(/\/$/, ''), options };
}

/**
 * Options of a long-lived connection (a queue, a worker, the events): commands wait for Redis to
 * come back however long it is away (BullMQ's guidance for workers), reconnecting every second or two.
 */
export function lastingConnection(target: RedisTarget): QueueConnection {
  return { ...target.options, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(200 * times, 2000) };
}

/** Connects once, without retrying, and checks the server is a Redis BullMQ can use. */
export async function checkReachable(target: RedisTarget, timeoutMs = 5000): Promise<void> {
  const client = new Redis({ ...target.options, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  // connect() rejects with "Connection is closed" alone: the cause (ECONNREFUSED, a timeout, a
  // refused password) comes as an error event.
  let cause: Error | undefined;
  client.on('error', (e: Error) => (cause ??= e));
  try {
    await client.connect();
    const info = await client.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '0';
    if (Number(version.split('.')[0]) < MIN_MAJOR) throw new RedisConnectionError(`${target.label} runs Redis ${version}; distributed sweeps need Redis ${MIN_MAJOR} or later`);
  } catch (e) {
    if (e instanceof RedisConnectionError) throw e;
    const why = (cause ?? e) instanceof Error ? (cause ?? (e as Error)).message : String(e);
    throw new RedisConnectionError(`cannot reach Redis at ${target.label}: ${why}`);
  } finally {
    client.disconnect();
  }
}
