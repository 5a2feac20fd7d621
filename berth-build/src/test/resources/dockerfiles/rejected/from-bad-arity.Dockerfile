FROM alpine AS base image
