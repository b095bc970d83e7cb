// The Node.js peer of the side-by-side benchmark: the http module only, its defaults.
// GET /hello -> "Hello, World!" (text/plain); POST /echo -> the JSON body back. Usage: node server.js PORT
const http = require('http');
const port = Number(process.argv[2]);
http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/hello') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Hello, World!');
  } else if (req.method === 'POST' && req.url === '/echo') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(Buffer.concat(chunks));
    });
  } else {
    res.writeHead(404);
    res.end();
  }
}).listen(port, '127.0.0.1');
