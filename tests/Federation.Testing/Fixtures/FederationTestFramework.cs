using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Federation.Testing.Fixtures;

/// <summary>
/// xunit v2 has no assembly fixture: this framework stops <see cref="SharedInfrastructure"/> after the
/// assembly's last test and before the run is reported finished, while the test host is certainly alive.
/// Enable it in a test project with
/// <c>[assembly: Xunit.TestFramework("Federation.Testing.Fixtures.FederationTestFramework", "Federation.Testing")]</c>.
/// </summary>
public sealed class FederationTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        // async void mirrors the base class: the runner reports completion through the message sink.
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(
        ITestAssembly testAssembly,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await SharedInfrastructure.StopAllAsync();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
