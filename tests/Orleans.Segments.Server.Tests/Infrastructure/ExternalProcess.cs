using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>What a finished program did: its exit code and everything it wrote, for a failure message.</summary>
public sealed record ProcessResult(int ExitCode, string Output);

/// <summary>Runs a program the tests need (node, npm) with a deadline, capturing its output.</summary>
public static class ExternalProcess
{
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            // Why: a test that needs node must fail on a machine without it, never pass or skip silently.
            Assert.Fail($"Could not start '{fileName}' ({ex.Message}). Install Node.js 20 or later and put node and npm on PATH.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{fileName} {string.Join(' ', arguments)}' did not finish within {timeout.TotalSeconds:0} s. Output so far:\n{Snapshot(output)}");
        }

        // Why: the parameterless wait returns only once the redirected streams are drained.
        await process.WaitForExitAsync();
        return new ProcessResult(process.ExitCode, Snapshot(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}
