/* A control for the agent's ConPTY start (docs/field-notes.md "Windows ConPTY"): starts a
 * command in a pseudo console the way src/Tether/Platform/Pty/WindowsPty.Windows.cs does,
 * types a line into it, and reports what came back. Built with Debian's mingw-w64 and run
 * under Wine by tests/Tether.IntegrationTests/Windows/ConPtyControlTests.cs.
 *
 *   conpty-control.exe <mode> <command line>
 *     mode "null-std":  STARTF_USESTDHANDLES with null handles (the agent's way, node-pty's too)
 *     mode "no-std":    no STARTF_USESTDHANDLES (the handles then come from the pseudo console
 *                       where the system connects them; under Wine 8 this run did not end
 *                       within 30 s, so the tests do not use it)
 *
 * Output, one per line: "exit <code>", "saw-marker <0|1>", then "bytes <n>" and the output
 * with control characters escaped as \xNN. Exit code 0 unless a call failed. */
#define _WIN32_WINNT 0x0A00
#include <windows.h>
#include <stdio.h>
#include <string.h>

#ifndef PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE
#define PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE 0x00020016
#endif

typedef HRESULT (WINAPI *CreatePseudoConsoleFn)(COORD, HANDLE, HANDLE, DWORD, void **);
typedef void (WINAPI *ClosePseudoConsoleFn)(void *);

static char output[65536];
static DWORD output_length;
static HANDLE output_read;

static DWORD WINAPI reader(void *unused)
{
    (void)unused;
    DWORD n;
    while (output_length < sizeof(output) - 1
           && ReadFile(output_read, output + output_length, (DWORD)(sizeof(output) - 1 - output_length), &n, NULL) && n > 0)
        output_length += n;
    return 0;
}

static int fail(const char *what)
{
    printf("failed %s %lu\n", what, (unsigned long)GetLastError());
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: conpty-control null-std|no-std \"command line\"\n");
        return 2;
    }
    int null_std = strcmp(argv[1], "null-std") == 0;
    HMODULE kernel32 = GetModuleHandleA("kernel32.dll");
    CreatePseudoConsoleFn create = (CreatePseudoConsoleFn)GetProcAddress(kernel32, "CreatePseudoConsole");
    ClosePseudoConsoleFn close_console = (ClosePseudoConsoleFn)GetProcAddress(kernel32, "ClosePseudoConsole");
    if (!create || !close_console)
        return fail("GetProcAddress");

    HANDLE input_read, input_write, output_write;
    if (!CreatePipe(&input_read, &input_write, NULL, 0) || !CreatePipe(&output_read, &output_write, NULL, 0))
        return fail("CreatePipe");
    void *console;
    COORD size = {80, 25};
    HRESULT hr = create(size, input_read, output_write, 0, &console);
    if (FAILED(hr)) {
        printf("failed CreatePseudoConsole 0x%08lx\n", (unsigned long)hr);
        return 1;
    }
    CloseHandle(input_read);
    CloseHandle(output_write);

    SIZE_T list_size = 0;
    InitializeProcThreadAttributeList(NULL, 1, 0, &list_size);
    LPPROC_THREAD_ATTRIBUTE_LIST list = HeapAlloc(GetProcessHeap(), 0, list_size);
    if (!InitializeProcThreadAttributeList(list, 1, 0, &list_size)
        || !UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE, console, sizeof(console), NULL, NULL))
        return fail("attribute list");

    STARTUPINFOEXW startup;
    ZeroMemory(&startup, sizeof(startup));
    startup.StartupInfo.cb = sizeof(startup);
    if (null_std)
        startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES; /* hStdInput/Output/Error stay NULL */
    startup.lpAttributeList = list;

    wchar_t command[1024];
    MultiByteToWideChar(CP_UTF8, 0, argv[2], -1, command, 1024);
    PROCESS_INFORMATION info;
    if (!CreateProcessW(NULL, command, NULL, NULL, FALSE, EXTENDED_STARTUPINFO_PRESENT | CREATE_UNICODE_ENVIRONMENT,
                        NULL, NULL, &startup.StartupInfo, &info))
        return fail("CreateProcess");

    HANDLE thread = CreateThread(NULL, 0, reader, NULL, 0, NULL);
    Sleep(1000);
    const char *typed = "set /a 4000+321\r\nexit 7\r\n";
    DWORD written;
    WriteFile(input_write, typed, (DWORD)strlen(typed), &written, NULL);

    DWORD code = 259;
    if (WaitForSingleObject(info.hProcess, 10000) == WAIT_OBJECT_0)
        GetExitCodeProcess(info.hProcess, &code);
    else
        TerminateProcess(info.hProcess, 99);
    close_console(console);
    WaitForSingleObject(thread, 5000);

    output[output_length] = 0;
    printf("exit %lu\n", (unsigned long)code);
    /* "4321" appears only when cmd.exe read the line and computed it (the echo of the typed
     * line itself reads 4000+321). */
    printf("saw-marker %d\n", strstr(output, "4321") != NULL);
    printf("bytes %lu\n", (unsigned long)output_length);
    for (DWORD i = 0; i < output_length; i++) {
        unsigned char c = (unsigned char)output[i];
        if (c < 0x20 || c == 0x7f || c == '\\')
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('\n');
    return 0;
}
