import winston from 'winston';

/** Levels, most severe first (winston's npm levels). */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * The process's root logger. Entry points (bin/) call {@link configureLogging} once; everything else asks for a
 * child logger named after its component (`scheduler:local`, `packing:round-robin`) and logs structured fields.
 */
const root = winston.createLogger({
  level: process.env['EGRET_LOG_LEVEL'] ?? 'warn',
  format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
  transports: [new winston.transports.Stream({ stream: process.stderr })],
});

/** A logger for one component. */
export function createLogger(component: string): winston.Logger {
  return root.child({ component });
}

/**
 * Sets the level and the format: `human` prints `level component: message` lines (the CLI), `json` one JSON
 * object a line (the processes of a topology).
 */
export function configureLogging(options: { level: LogLevel; format: 'human' | 'json' }): void {
  root.level = options.level;
  root.format =
    options.format === 'json'
      ? winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json())
      : winston.format.combine(
          winston.format.errors({ stack: true }),
          winston.format.printf((info) => {
            const { level, message, component, stack, timestamp: _t, ...fields } = info as Record<string, unknown>;
            const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
            const trace = level === 'debug' && typeof stack === 'string' ? `\n${stack}` : '';
            return `${String(level)}${component ? ` ${String(component)}` : ''}: ${String(message)}${extra}${trace}`;
          }),
        );
}
