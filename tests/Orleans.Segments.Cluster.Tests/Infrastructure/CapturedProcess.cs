using System.ComponentModel;
using System.Diagnostics;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>Starts a process of the test's own with its standard output and error kept in an <see cref="OutputLog"/>.</summary>
public static class CapturedProcess
{
    /// <summary>Starts <paramref name="start"/>; a program that cannot be started fails the test (never skips it).</summary>
    public static (Process Process, OutputLog Output) Start(ProcessStartInfo start, string failureHint)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var output = new OutputLog();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"Could not start {start.FileName} ({ex.Message}). {failureHint}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }
}
