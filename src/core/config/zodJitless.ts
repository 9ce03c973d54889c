/**
 * zod 4 compiles object parsers with `new Function` (and probes for it with `new Function("")`)
 * unless told not to; a strict Content-Security-Policy without 'unsafe-eval' reports that probe
 * as a violation. Imported first by every module that builds zod schemas.
 */
import * as z from 'zod';

z.config({ jitless: true });
