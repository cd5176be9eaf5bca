Console.WriteLine("tether");
return 0;
