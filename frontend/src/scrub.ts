/**
 * The first module main.tsx imports: before the app renders, fetches its configuration or registers
 * its service worker, any secret in the address bar (a receipt's key, an invite code, a protected
 * receipt link) leaves it and the history entry (lib/addressBar.ts), and so does one arriving later
 * by a change of the fragment.
 */
import { takeSecretsFromAddressBar } from "./lib/addressBar.ts";

takeSecretsFromAddressBar();
window.addEventListener("hashchange", takeSecretsFromAddressBar);
