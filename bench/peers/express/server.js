// The Express peer of the side-by-side benchmark (when npm can install express): its defaults.
// GET /hello -> "Hello, World!" (text/plain); POST /echo -> the JSON body back. Usage: node server.js PORT
const express = require('express');
const app = express();
app.get('/hello', (req, res) => res.type('text/plain').send('Hello, World!'));
app.post('/echo', express.json(), (req, res) => res.json(req.body));
app.listen(Number(process.argv[2]), '127.0.0.1');
