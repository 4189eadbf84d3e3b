// The zod that the API's own modules use. The build (scripts/build.mjs) replaces this module's output, dist/api/zod.js,
// with one bundled file holding zod: the API is loaded from dist/ as plain modules (it is shared with the topology's
// code, scripts/bundle-entry-points.mjs says why), and through Node's resolution zod alone was some hundred files,
// half of the CPU an instance's task thread spent importing the topology. Types come from zod itself.
export { z } from 'zod';
