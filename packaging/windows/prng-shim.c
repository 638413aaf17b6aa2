/* For the Wine checks only, never shipped: Go 1.22+ programs call ProcessPrng
 * from bcryptprimitives.dll (Windows 10 and later have it), which Debian 12's
 * Wine 8.0 lacks; without it they stop at start with "bcryptprimitives.dll not
 * found". This stand-in, copied into the throwaway Wine prefix, forwards to
 * BCryptGenRandom, which Wine has. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  return BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG));
}
