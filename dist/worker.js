#!/usr/bin/env node
import "./worker/index.js";
