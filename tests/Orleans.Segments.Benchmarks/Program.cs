if (args is ["production", ..]) return await Orleans.Segments.Benchmarks.Production.ProductionBenchmarks.RunAsync(args[1..]);
Console.WriteLine("Hello, World!");
return 0;
