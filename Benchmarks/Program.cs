using BenchmarkDotNet.Running;

// Runs the suites named by --filter, for example: dotnet run -c Release --project Benchmarks -- --filter '*Forward*'
BenchmarkSwitcher.FromAssembly(typeof(ModelCompiler.Benchmarks.ForwardBenchmarks).Assembly).Run(args);
