/**
 * English messages for zod/mini. The full zod build sets its English locale when it builds its
 * first schema; zod/mini loads no locale (every issue would read "Invalid input"), which is what
 * keeps it small. Each module that builds zod/mini schemas imports this one for its effect, so
 * their messages read as the full build's, whichever of the two a process loads first.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());
