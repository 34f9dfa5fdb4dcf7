if (args is ["push", ..]) return await Orleans.Segments.Benchmarks.PushThroughput.RunAsync(args[1..]);
Console.WriteLine("Hello, World!");
return 0;
